package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.InfoStream;
import org.junit.jupiter.api.Test;

class IntoLargestMergePolicyTest {

  private final IntoLargestMergePolicy policy = new IntoLargestMergePolicy(new TieredMergePolicy());

  @Test
  void tenSmallSegmentsHoldingATenthGoIntoTheLargest() throws IOException {
    SegmentInfos infos = segments(1000, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
    assertThat(mergedSizes(infos, Set.of()))
        .containsExactlyInAnyOrder(1000, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
  }

  @Test
  void smallSegmentsHoldingLessThanATenthWait() throws IOException {
    SegmentInfos infos = segments(1000, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9);
    assertThat(merged(infos, Set.of())).isNull();
  }

  @Test
  void fewerThanTenSmallerSegmentsWait() throws IOException {
    SegmentInfos infos = segments(1000, 500, 500, 500, 500, 500, 500, 500, 500, 500);
    assertThat(merged(infos, Set.of())).isNull();
  }

  @Test
  void theLargestSegmentThatQualifiesTakesInAllSmallerOnes() throws IOException {
    SegmentInfos infos = segments(100_000, 1000, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
    // 2,000 documents are under a tenth of 100,000: the segment of 1,000 takes in the ten below it
    assertThat(mergedSizes(infos, Set.of()))
        .containsExactlyInAnyOrder(1000, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
    infos = segments(10_000, 1000, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
    assertThat(mergedSizes(infos, Set.of())).hasSize(12).contains(10_000);
  }

  @Test
  void segmentsMergingNowAreLeftOut() throws IOException {
    SegmentInfos infos = segments(1000, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
    SegmentCommitInfo largest = infos.info(0);
    List<Integer> sizes = mergedSizes(infos, Set.of(largest));
    assertThat(sizes).hasSize(11).containsOnly(100);
  }

  @Test
  void argumentsAreChecked() {
    TieredMergePolicy tiered = new TieredMergePolicy();
    assertThatThrownBy(() -> new IntoLargestMergePolicy(tiered, 0, 10))
        .hasMessageContaining("minTail");
    assertThatThrownBy(() -> new IntoLargestMergePolicy(tiered, 10, 0))
        .hasMessageContaining("fanOut");
  }

  private List<Integer> mergedSizes(SegmentInfos infos, Set<SegmentCommitInfo> merging)
      throws IOException {
    MergePolicy.MergeSpecification spec = merged(infos, merging);
    assertThat(spec).isNotNull();
    assertThat(spec.merges).hasSize(1);
    List<Integer> sizes = new ArrayList<>();
    spec.merges.get(0).segments.forEach(s -> sizes.add(s.info.maxDoc()));
    return sizes;
  }

  private MergePolicy.MergeSpecification merged(SegmentInfos infos, Set<SegmentCommitInfo> merging)
      throws IOException {
    return policy.findMerges(MergeTrigger.SEGMENT_FLUSH, infos, new Context(merging));
  }

  /** A committed index with one segment of each size, in that order. */
  private static SegmentInfos segments(int... sizes) throws IOException {
    Directory dir = new ByteBuffersDirectory();
    try (IndexWriter writer =
        new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
      int id = 0;
      for (int size : sizes) {
        for (int i = 0; i < size; i++) {
          Document doc = new Document();
          doc.add(new StringField("id", Integer.toString(id++), StringField.Store.NO));
          writer.addDocument(doc);
        }
        writer.flush();
      }
      writer.commit();
    }
    SegmentInfos infos = SegmentInfos.readLatestCommit(dir);
    assertThat(infos.size()).isEqualTo(sizes.length);
    return infos;
  }

  private record Context(Set<SegmentCommitInfo> merging) implements MergePolicy.MergeContext {
    @Override
    public int numDeletesToMerge(SegmentCommitInfo info) {
      return info.getDelCount();
    }

    @Override
    public int numDeletedDocs(SegmentCommitInfo info) {
      return info.getDelCount();
    }

    @Override
    public InfoStream getInfoStream() {
      return InfoStream.NO_OUTPUT;
    }

    @Override
    public Set<SegmentCommitInfo> getMergingSegments() {
      return new HashSet<>(merging);
    }
  }
}
