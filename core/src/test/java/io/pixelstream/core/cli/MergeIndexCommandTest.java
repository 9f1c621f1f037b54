package io.pixelstream.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.index.ShardedIndexWriter;
import java.nio.file.Path;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeIndexCommandTest {

  private static void writeInCommits(Path root, int images, int perCommit) throws Exception {
    try (ShardedIndexWriter writer =
        ShardedIndexWriter.open(root, "v1", 2, VectorSimilarityFunction.EUCLIDEAN)) {
      for (int i = 0; i < images; i++) {
        writer.upsert(
            new IndexedImage(
                "img-" + i, new float[] {i, 1}, 0, null, null, "v1", 1L, 1L, new byte[] {1}));
        if (i % perCommit == perCommit - 1) {
          writer.commit();
        }
      }
      writer.commit();
    }
  }

  @Test
  void mergesEveryShardToTheAskedSegmentCount(@TempDir Path root) throws Exception {
    writeInCommits(root, 60, 6);
    assertThat(MergeIndexCommand.segmentCount(root, "v1")).isGreaterThan(4);

    MergeIndexCommand.merge(root, "v1", 1);

    assertThat(MergeIndexCommand.segmentCount(root, "v1")).isEqualTo(2);
  }

  @Test
  void refusesWhileAWriterHoldsAShard(@TempDir Path root) throws Exception {
    writeInCommits(root, 10, 5);
    try (ShardWriter running =
        ShardWriter.open(
            new IndexLayout(root).shardDir("v1", 1),
            VectorSimilarityFunction.EUCLIDEAN,
            HnswOptions.DEFAULT,
            16,
            0)) {
      assertThatThrownBy(() -> MergeIndexCommand.merge(root, "v1", 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("holds a shard");
    }
  }

  @Test
  void refusesAnUnknownVersionAndABadSegmentCount(@TempDir Path root) throws Exception {
    assertThatThrownBy(() -> MergeIndexCommand.merge(root, "nope", 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no shards of version 'nope'");
    assertThatThrownBy(() -> MergeIndexCommand.merge(root, "nope", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segments must be >= 1");
  }
}
