package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardWriterTest {

  private static IndexedImage image(String id, float x, int cluster, Integer label) {
    return new IndexedImage(
        id, new float[] {x, 1, 0}, cluster, label, "test", "v1", 1000L, 900L, new byte[] {1, 2});
  }

  private static ShardWriter open(Path dir) throws Exception {
    return ShardWriter.open(dir, VectorSimilarityFunction.EUCLIDEAN, HnswOptions.DEFAULT, 16, 0);
  }

  @Test
  void commitsDoNotWaitForMergesAndMergesRunNiceWhenAsked(@TempDir Path dir) throws Exception {
    try (ShardWriter plain = open(dir.resolve("plain"));
        ShardWriter nice =
            ShardWriter.open(
                dir.resolve("nice"),
                VectorSimilarityFunction.EUCLIDEAN,
                HnswOptions.DEFAULT,
                16,
                ShardWriter.DEFAULT_MERGE_NICE)) {
      // a commit makes images visible: Lucene's default waits up to 500 ms for small merges
      assertThat(plain.writerConfig().getMaxFullFlushMergeWaitMillis()).isZero();
      assertThat(nice.writerConfig().getMaxFullFlushMergeWaitMillis()).isZero();
      assertThat(plain.writerConfig().getMergeScheduler()).isInstanceOf(ShardMergeScheduler.class);
      assertThat(nice.writerConfig().getMergeScheduler()).isInstanceOf(ShardMergeScheduler.class);
      assertThat(plain.writerConfig().getUseCompoundFile()).isFalse();
    }
    assertThatThrownBy(
            () ->
                ShardWriter.open(
                    dir.resolve("bad"),
                    VectorSimilarityFunction.EUCLIDEAN,
                    HnswOptions.DEFAULT,
                    16,
                    20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mergeNice must be in 0..19, got 20");
  }

  @Test
  void awaitMergesLeavesNoMergeToDo(@TempDir Path dir) throws Exception {
    try (ShardWriter w = open(dir)) {
      for (int i = 0; i < 30; i++) { // 30 one-document segments: more than a tier holds
        w.upsert(image("i" + i, i, 0, null));
        w.publish(Map.of());
      }
      w.awaitMerges();
      w.publish(Map.of());
      int merged = w.segments();
      long mergeCpu = w.mergeCpuNanos();
      assertThat(merged).isLessThanOrEqualTo(10);
      assertThat(mergeCpu).isPositive();
      w.awaitMerges(); // nothing left: no merge starts, nothing changes
      w.publish(Map.of());
      assertThat(w.segments()).isEqualTo(merged);
      assertThat(w.mergeCpuNanos()).isEqualTo(mergeCpu);
    }
  }

  @Test
  void awaitMergesAndCommitMergesEveryShardAndKeepsItsCommitData(@TempDir Path root)
      throws Exception {
    try (ShardedIndexWriter w =
        ShardedIndexWriter.open(root, "v1", 2, VectorSimilarityFunction.EUCLIDEAN)) {
      for (int i = 0; i < 60; i++) { // about 30 one-document segments per shard
        w.upsert(image("i" + i, i, 0, null));
        w.commit();
      }
      w.awaitMergesAndCommit();
    }
    IndexLayout layout = new IndexLayout(root);
    int docs = 0;
    for (int s = 0; s < 2; s++) {
      Path dir = layout.shardDir("v1", s);
      assertThat(ShardWriter.lastCommitData(dir))
          .containsEntry(IndexFields.COMMIT_MODEL_VERSION, "v1")
          .containsEntry(IndexFields.COMMIT_SHARDS, "2")
          .containsKey(IndexFields.COMMIT_TIME);
      try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
        assertThat(reader.leaves()).hasSizeLessThanOrEqualTo(10);
        docs += reader.numDocs();
      }
    }
    assertThat(docs).isEqualTo(60);
  }

  @Test
  void upsertReplacesDeleteRemovesAndCommitDataIsKept(@TempDir Path dir) throws Exception {
    try (ShardWriter w = open(dir)) {
      w.upsert(image("a", 0, 1, 3));
      w.upsert(image("b", 5, 2, null));
      w.upsert(image("a", 1, 4, 7));
      w.upsert(image("c", 9, 0, 1));
      w.delete("c");
      w.commit(Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=41"));
    }
    assertThat(ShardWriter.lastCommitData(dir))
        .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=41");
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
      IndexSearcher searcher = new IndexSearcher(reader);
      assertThat(reader.numDocs()).isEqualTo(2);
      TopDocs a = searcher.search(new TermQuery(new Term(IndexFields.ID, "a")), 10);
      assertThat(a.totalHits.value).isEqualTo(1);
      IndexedImage stored =
          ImageDocuments.fromStored(searcher.storedFields().document(a.scoreDocs[0].doc), null);
      assertThat(stored.cluster()).isEqualTo(4);
      assertThat(stored.label()).isEqualTo(7);
      assertThat(stored.image()).containsExactly(1, 2);
      assertThat(stored.modelVersion()).isEqualTo("v1");

      TopDocs knn =
          searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, new float[] {5, 1, 0}, 1), 1);
      assertThat(searcher.storedFields().document(knn.scoreDocs[0].doc).get(IndexFields.ID))
          .isEqualTo("b");
    }
  }

  @Test
  void closeWithoutCommitDiscardsChanges(@TempDir Path dir) throws Exception {
    try (ShardWriter w = open(dir)) {
      w.upsert(image("kept", 0, 0, null));
      w.commit(Map.of());
      w.upsert(image("lost", 1, 0, null));
      assertThat(w.hasUncommittedChanges()).isTrue();
    }
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
      assertThat(reader.numDocs()).isEqualTo(1);
    }
  }

  @Test
  void layoutPathsAndRouting(@TempDir Path root) {
    IndexLayout layout = new IndexLayout(root);
    assertThat(layout.shardDir("v1", 3)).isEqualTo(root.resolve("v1").resolve("shard-3"));
    assertThatThrownBy(() -> layout.shardDir("../x", 0)).hasMessageContaining("modelVersion");
    assertThat(IndexLayout.shardFor("some-id", 4)).isBetween(0, 3);
    assertThat(IndexLayout.shardFor("some-id", 4)).isEqualTo(IndexLayout.shardFor("some-id", 4));
    assertThat(IndexLayout.shardFor("anything", 1)).isZero();
  }

  @Test
  void shardCountOfAnExistingIndexMustBeKept(@TempDir Path root) throws Exception {
    IndexLayout layout = new IndexLayout(root);
    layout.checkShardCount("v1", 3); // empty: any count
    java.nio.file.Files.createDirectories(layout.shardDir("v1", 0));
    java.nio.file.Files.createDirectories(layout.shardDir("v1", 1));
    layout.checkShardCount("v1", 2);
    assertThatThrownBy(() -> layout.checkShardCount("v1", 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has 2 shards but 3");
  }

  @Test
  void writersOfOneVersionAgreeOnItsShardCountWhileCreatingIt(@TempDir Path root) throws Exception {
    IndexLayout layout = new IndexLayout(root);
    java.nio.file.Files.createDirectories(layout.shardDir("v1", 0)); // another writer, mid-start
    layout.checkWritableBy("v1", 3);
    try (ShardedIndexWriter w =
        ShardedIndexWriter.open(
            root.resolve("other"), "v2", 2, VectorSimilarityFunction.EUCLIDEAN)) {
      w.commit(); // records 2 shards
    }
    IndexLayout other = new IndexLayout(root.resolve("other"));
    other.checkWritableBy("v2", 2);
    assertThatThrownBy(() -> other.checkWritableBy("v2", 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has 2 shards but 3");
    assertThatThrownBy(() -> other.checkWritableBy("v2", 1))
        .hasMessageContaining("has 2 shards but 1");
    java.nio.file.Files.createDirectories(layout.shardDir("v1", 3));
    assertThatThrownBy(() -> layout.checkWritableBy("v1", 3)).hasMessageContaining("but 3");
  }
}
