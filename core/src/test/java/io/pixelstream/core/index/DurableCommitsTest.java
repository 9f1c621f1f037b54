package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.io.MachineBoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableCommitsTest {

  private static IndexedImage image(String id) {
    return new IndexedImage(
        id, new float[] {1, 2, 3}, 0, null, "test", "v1", 1000L, 900L, new byte[] {1});
  }

  private static ShardWriter open(Path dir) throws Exception {
    return ShardWriter.open(dir, VectorSimilarityFunction.EUCLIDEAN, HnswOptions.DEFAULT, 16, 0);
  }

  private static int visible(Path dir) throws Exception {
    try (Directory d = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      return reader.numDocs();
    }
  }

  @Test
  void publishIsVisibleAtOnceWithoutFsyncsAndTheNextCommitSyncsIt(@TempDir Path dir)
      throws Exception {
    try (ShardWriter w = open(dir)) {
      w.upsert(image("a"));
      w.commit(Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=1"));
      long afterCommit = w.fsyncs();
      assertThat(afterCommit).isPositive();

      w.upsert(image("b"));
      w.publish(Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=2"));
      assertThat(w.fsyncs()).isEqualTo(afterCommit);
      assertThat(visible(dir)).isEqualTo(2); // another reader, as the query API opens it
      assertThat(w.hasUncommittedChanges()).as("published is not durable").isTrue();
      assertThat(ShardWriter.lastCommitData(dir))
          .containsEntry(IndexFields.COMMIT_DURABLE, "false")
          .containsEntry(IndexFields.COMMIT_BOOT_ID, MachineBoot.id())
          .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=2");
      assertThat(w.commitData())
          .doesNotContainKeys(IndexFields.COMMIT_DURABLE, IndexFields.COMMIT_BOOT_ID);
      assertThat(w.segments()).isEqualTo(2);

      w.commit(w.commitData()); // nothing new since the publish: still a commit, with fsyncs
      assertThat(w.fsyncs()).isGreaterThan(afterCommit);
      assertThat(w.hasUncommittedChanges()).isFalse();
      assertThat(ShardWriter.lastCommitData(dir))
          .doesNotContainKeys(IndexFields.COMMIT_DURABLE, IndexFields.COMMIT_BOOT_ID);

      long synced = w.fsyncs();
      w.commit(Map.of()); // no new segment: only the new segments file and the folder
      assertThat(w.fsyncs() - synced).isBetween(1L, 3L);
    }
  }

  @Test
  void keepsTheNewestCommitAndTheNewestDurableOne(@TempDir Path dir) throws Exception {
    try (ShardWriter w = open(dir)) {
      w.upsert(image("a"));
      w.commit(Map.of());
      for (int i = 0; i < 3; i++) {
        w.upsert(image("p" + i));
        w.publish(Map.of());
      }
      List<Map<String, String>> kept = new java.util.ArrayList<>();
      try (Directory d = FSDirectory.open(dir)) {
        for (IndexCommit c : DirectoryReader.listCommits(d)) {
          kept.add(c.getUserData());
        }
      }
      assertThat(kept).hasSize(2);
      assertThat(DurableCommits.isDurable(kept.get(0))).isTrue();
      assertThat(DurableCommits.isDurable(kept.get(1))).isFalse();

      w.commit(Map.of());
      try (Directory d = FSDirectory.open(dir)) {
        assertThat(DirectoryReader.listCommits(d)).hasSize(1);
      }
    }
  }

  @Test
  void aPublishSurvivesACrashOfTheProcessButNotARestartOfTheMachine(@TempDir Path dir)
      throws Exception {
    try (ShardWriter w = open(dir)) {
      w.upsert(image("durable"));
      w.commit(Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=0"));
      w.upsert(image("published"));
      w.publish(Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=1"));
      w.upsert(image("neither"));
    } // close discards "neither", as a crash would

    try (Directory d = FSDirectory.open(dir)) {
      assertThat(DurableCommits.rollBackLost(d, MachineBoot.id())).isEmpty();
    }
    try (ShardWriter w = open(dir)) { // the same boot: the published commit stays
      assertThat(visible(dir)).isEqualTo(2);
    }

    long publishedGeneration;
    try (Directory d = FSDirectory.open(dir)) {
      publishedGeneration = SegmentInfos.readLatestCommit(d).getGeneration();
      assertThat(DurableCommits.rollBackLost(d, "another-boot"))
          .containsExactly(publishedGeneration);
    }
    try (ShardWriter w = open(dir)) {
      assertThat(visible(dir)).isEqualTo(1);
      assertThat(ShardWriter.lastCommitData(dir))
          .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=0");
    }
  }

  @Test
  void aTornNewestCommitIsDroppedEvenInTheSameBoot(@TempDir Path dir) throws Exception {
    try (ShardWriter w = open(dir)) {
      w.upsert(image("durable"));
      w.commit(Map.of());
      w.upsert(image("published"));
      w.publish(Map.of());
    }
    Path newest;
    try (Directory d = FSDirectory.open(dir)) {
      newest = dir.resolve(SegmentInfos.readLatestCommit(d).getSegmentsFileName());
    }
    Files.write(newest, new byte[] {0, 0, 0}); // what a lost page cache can leave

    try (ShardWriter w = open(dir)) { // opening rolls back
      assertThat(visible(dir)).isEqualTo(1);
      w.upsert(image("after"));
      w.commit(Map.of());
    }
    assertThat(visible(dir)).isEqualTo(2);
  }

  @Test
  void aDurableNewestCommitIsLeftAlone(@TempDir Path dir) throws Exception {
    try (ShardWriter w = open(dir)) {
      w.upsert(image("a"));
      w.publish(Map.of());
      w.commit(Map.of());
    }
    try (Directory d = FSDirectory.open(dir)) {
      assertThat(DurableCommits.rollBackLost(d, "another-boot")).isEmpty();
    }
    assertThat(visible(dir)).isEqualTo(1);
  }
}
