package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pixelstream.core.io.ThreadNiceness;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardMergeSchedulerTest {

  @Test
  void largeMergesRunAtTheNiceValueAndTheIndexingThreadKeepsItsOwn(@TempDir Path dir)
      throws Exception {
    assertThat(mergeNiceValues(dir, 11, 199)).isNotEmpty().containsOnly(11);
  }

  @Test
  void smallMergesKeepTheNormalPriority(@TempDir Path dir) throws Exception {
    assertThat(mergeNiceValues(dir, 11, 200)).isNotEmpty().doesNotContain(11);
  }

  @Test
  void overTheSegmentBudgetLargeMergesKeepTheNormalPriority(@TempDir Path dir) throws Exception {
    assertThat(mergeNiceValues(dir, 11, 199, 4, () -> 5)).isNotEmpty().doesNotContain(11);
    assertThat(mergeNiceValues(dir.resolve("at"), 11, 199, 4, () -> 4))
        .isNotEmpty()
        .containsOnly(11);
  }

  private static List<Integer> mergeNiceValues(Path dir, int nice, int smallMergeDocs)
      throws Exception {
    return mergeNiceValues(dir, nice, smallMergeDocs, 1000, () -> 0);
  }

  /** The nice values of the merge threads that force-merge 200 documents in 4 segments. */
  private static List<Integer> mergeNiceValues(
      Path dir, int nice, int smallMergeDocs, int segmentBudget, IntSupplier segments)
      throws Exception {
    assumeTrue(ThreadNiceness.supported(), "needs Linux with glibc >= 2.30");
    int indexingNice = ThreadNiceness.current();
    assumeTrue(indexingNice < 11, "this thread already runs at nice " + indexingNice);
    List<Integer> mergeNice = new CopyOnWriteArrayList<>();
    List<String> mergeThreads = new CopyOnWriteArrayList<>();
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setMergeScheduler(
                new ShardMergeScheduler(nice, smallMergeDocs, segmentBudget, segments))
            .setMergedSegmentWarmer( // runs on the merging thread once the merge is written
                reader -> {
                  mergeNice.add(ThreadNiceness.current());
                  mergeThreads.add(Thread.currentThread().getName());
                });
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, config)) {
      for (int segment = 0; segment < 4; segment++) {
        for (int i = 0; i < 50; i++) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField("v", new float[] {segment, i, 1}));
          w.addDocument(doc);
        }
        w.commit(); // one segment each
      }
      w.forceMerge(1);
      w.commit();
      try (DirectoryReader r = DirectoryReader.open(d)) {
        assertThat(r.leaves()).hasSize(1);
        assertThat(r.numDocs()).isEqualTo(200);
      }
    }
    assertThat(mergeThreads).allSatisfy(name -> assertThat(name).contains("Merge Thread"));
    assertThat(ThreadNiceness.current()).isEqualTo(indexingNice);
    return mergeNice;
  }

  @Test
  void atNiceZeroEveryMergeKeepsThePriority(@TempDir Path dir) throws Exception {
    assertThat(mergeNiceValues(dir, 0, 0)).isNotEmpty().doesNotContain(11);
  }

  @Test
  void graphsAreMergedOnTheMergeThreadWithoutAnIntraMergeExecutor(@TempDir Path dir)
      throws Exception {
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      Document doc = new Document();
      doc.add(new KnnFloatVectorField("v", new float[] {1, 2, 3}));
      w.addDocument(doc);
      w.commit();
      // Lucene 9.12 takes its concurrent, locking graph builder for any intra-merge executor
      var merge = new MergePolicy.OneMerge(SegmentInfos.readLatestCommit(d).asList());
      assertThat(new ShardMergeScheduler(11, () -> 0).getIntraMergeExecutor(merge)).isNull();
    }
  }

  @Test
  void refusesNiceValuesOutOfRange() {
    assertThatThrownBy(() -> new ShardMergeScheduler(-1, () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nice must be in 0..19, got -1");
    assertThatThrownBy(() -> new ShardMergeScheduler(20, () -> 0))
        .hasMessageContaining("nice must be in 0..19, got 20");
    assertThatThrownBy(() -> new ShardMergeScheduler(5, 0, 0, () -> 0))
        .hasMessageContaining("segmentBudget must be >= 1, got 0");
  }
}
