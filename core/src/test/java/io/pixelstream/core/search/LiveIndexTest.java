package io.pixelstream.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.index.ShardedIndexWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
        16,
        0);
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
  void searchesTheSegmentsOfOneQueryOnTheExecutorWithTheSameAnswers(@TempDir Path root)
      throws Exception {
    Random random = new Random(11);
    try (ShardWriter w = shard(root, "v1", 0)) {
      for (int i = 0; i < 600; i++) {
        w.upsert(
            new IndexedImage(
                "p" + i,
                new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()},
                0,
                null,
                null,
                "v1",
                1L,
                1L,
                new byte[] {1}));
        if (i % 100 == 99) {
          w.commit(Map.of()); // a segment per commit: 6 to search
        }
      }
    }
    AtomicInteger tasks = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Executor counting =
        task -> {
          tasks.incrementAndGet();
          pool.execute(task);
        };
    try (LiveIndex alone = LiveIndex.open(root, "v1");
        LiveIndex parallel = LiveIndex.open(root, "v1", counting)) {
      IndexSearcher a = alone.acquire();
      IndexSearcher b = parallel.acquire();
      try {
        assertThat(b.getIndexReader().leaves()).hasSizeGreaterThan(1);
        for (int q = 0; q < 20; q++) {
          float[] query = {(float) random.nextGaussian(), (float) random.nextGaussian()};
          SearchRequest exact = new SearchRequest(10, SearchMode.EXACT, null, null, 10);
          SearchRequest hnsw = new SearchRequest(10, SearchMode.HNSW, null, null, 40);
          List<String> truth = ids(VectorSearch.search(a, query, exact, null));
          assertThat(ids(VectorSearch.search(b, query, hnsw, null)))
              .as("query %d in parallel", q)
              .isEqualTo(ids(VectorSearch.search(a, query, hnsw, null)))
              .isEqualTo(truth);
        }
      } finally {
        alone.release(a);
        parallel.release(b);
        pool.shutdown();
      }
    }
    assertThat(tasks.get()).as("segment searches handed to the executor").isPositive();
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(SearchResult.Hit::id).toList();
  }

  @Test
  void forceMergeLeavesOneSegmentPerShardAndEveryDocument(@TempDir Path root) throws Exception {
    try (ShardedIndexWriter writer =
        ShardedIndexWriter.open(root, "v1", 2, VectorSimilarityFunction.EUCLIDEAN)) {
      for (int i = 0; i < 40; i++) {
        writer.upsert(image("img-" + i, i, 0, "v1"));
        if (i % 5 == 4) {
          writer.commit();
        }
      }
      try (LiveIndex index = LiveIndex.open(root, "v1")) {
        IndexSearcher before = index.acquire();
        int leavesBefore = before.getIndexReader().leaves().size();
        index.release(before);
        assertThat(leavesBefore).as("one segment per commit and shard").isGreaterThan(2);

        writer.forceMergeAndCommit(1);
        assertThat(index.maybeRefresh()).isTrue();
        IndexSearcher after = index.acquire();
        try {
          assertThat(after.getIndexReader().leaves()).hasSize(2);
          assertThat(after.getIndexReader().numDocs()).isEqualTo(40);
          for (int i = 0; i < 40; i++) {
            assertThat(VectorSearch.vectorOf(after, "img-" + i)).containsExactly(i, 0);
          }
        } finally {
          index.release(after);
        }
        assertThat(index.shards()).allSatisfy(s -> assertThat(s.commitTime()).isPositive());
      }
    }
  }

  @Test
  void forceMergeKeepsTheLastCommitsSourceOffsets(@TempDir Path root) throws Exception {
    try (ShardWriter w = shard(root, "v1", 0)) {
      w.upsert(image("a", 1, 0, "v1"));
      w.commit(
          Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0:41", IndexFields.COMMIT_TIME, "5"));
      w.upsert(image("b", 2, 0, "v1"));
      w.commit(
          Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0:42", IndexFields.COMMIT_TIME, "6"));
    }
    try (ShardedIndexWriter writer =
        ShardedIndexWriter.open(root, "v1", 1, VectorSimilarityFunction.EUCLIDEAN)) {
      writer.forceMergeAndCommit(1);
    }
    Map<String, String> data = ShardWriter.lastCommitData(new IndexLayout(root).shardDir("v1", 0));
    assertThat(data)
        .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0:42")
        .containsEntry(IndexFields.COMMIT_MODEL_VERSION, "v1");
    assertThat(Long.parseLong(data.get(IndexFields.COMMIT_TIME))).isGreaterThan(6);
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
