package io.pixelstream.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveIndexTest {

  static IndexedImage image(String id, float x, int cluster, String version) {
    return new IndexedImage(
        id, new float[] {x, 0}, cluster, null, null, version, 1L, 1L, new byte[] {1});
  }

  static ShardWriter shard(Path root, String version, int n) throws Exception {
    return ShardWriter.open(
        new IndexLayout(root).shardDir(version, n),
        VectorSimilarityFunction.EUCLIDEAN,
        HnswOptions.DEFAULT,
        16);
  }

  private static int visible(LiveIndex index) throws Exception {
    IndexSearcher s = index.acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      index.release(s);
    }
  }

  @Test
  void seesOnlyCommitsAndPicksUpNewOnesAndNewShards(@TempDir Path root) throws Exception {
    try (ShardWriter w0 = shard(root, "v1", 0);
        LiveIndex index = LiveIndex.open(root, "v1")) {
      assertThat(visible(index)).as("nothing committed yet").isZero();
      w0.upsert(image("a", 1, 0, "v1"));
      w0.commit(Map.of(IndexFields.COMMIT_TIME, "1000"));
      w0.upsert(image("b", 2, 0, "v1"));
      assertThat(index.maybeRefresh()).isTrue();
      assertThat(visible(index)).as("b is not committed").isEqualTo(1);
      assertThat(index.maybeRefresh()).as("nothing new").isFalse();

      IndexSearcher held = index.acquire();
      w0.commit(Map.of(IndexFields.COMMIT_TIME, "2000"));
      try (ShardWriter w1 = shard(root, "v1", 1)) {
        w1.upsert(image("c", 3, 1, "v1"));
        w1.commit(Map.of(IndexFields.COMMIT_TIME, "3000"));
      }
      assertThat(index.maybeRefresh()).isTrue();
      assertThat(visible(index)).isEqualTo(3);
      assertThat(held.getIndexReader().numDocs())
          .as("an acquired searcher is a snapshot")
          .isEqualTo(1);
      index.release(held);

      assertThat(index.shards())
          .extracting(LiveIndex.ShardState::name, LiveIndex.ShardState::documents)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("shard-0", 2),
              org.assertj.core.groups.Tuple.tuple("shard-1", 1));
      assertThat(index.shards())
          .extracting(LiveIndex.ShardState::commitTime)
          .containsExactly(2000L, 3000L);
    }
  }

  @Test
  void neverShowsAnotherModelVersion(@TempDir Path root) throws Exception {
    try (ShardWriter other = shard(root, "v2", 0)) {
      other.upsert(image("x", 1, 0, "v2"));
      other.commit(Map.of());
    }
    try (ShardWriter mine = shard(root, "v1", 0)) {
      mine.upsert(image("y", 1, 0, "v1"));
      mine.commit(Map.of());
    }
    try (LiveIndex index = LiveIndex.open(root, "v1")) {
      IndexSearcher s = index.acquire();
      try {
        assertThat(VectorSearch.documentOf(s, "y")).isNotNull();
        assertThat(VectorSearch.documentOf(s, "x")).isNull();
      } finally {
        index.release(s);
      }
    }
  }
}
