package io.pixelstream.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three blobs of 8-d points in two shards; labels cycle 0..4 independently of the blobs; every 7th
 * point is tagged as a near-duplicate.
 */
class VectorSearchTest {

  private static final float[][] CENTRES = new float[3][8];
  private static final Centroids CENTROIDS;
  private static final int N = 600;
  private static final float[][] POINTS = new float[N][8];

  static {
    for (int c = 0; c < 3; c++) {
      CENTRES[c][c] = 10;
    }
    CENTROIDS = new Centroids(CENTRES);
    Random random = new Random(4);
    for (int i = 0; i < N; i++) {
      for (int d = 0; d < 8; d++) {
        POINTS[i][d] = CENTRES[i % 3][d] + (float) random.nextGaussian();
      }
    }
  }

  @TempDir static Path root;
  private static LiveIndex index;

  @BeforeAll
  static void build() throws Exception {
    ShardWriter[] shards = {LiveIndexTest.shard(root, "v", 0), LiveIndexTest.shard(root, "v", 1)};
    for (int i = 0; i < N; i++) {
      shards[i % 2].upsert(
          new IndexedImage(
              "p" + i,
              POINTS[i],
              i % 3,
              i % 5,
              null,
              "v",
              0L,
              0L,
              new byte[] {1},
              i % 7 == 0 ? "p" + (i + 1) : null));
      if (i % 150 == 149) {
        shards[i % 2].commit(Map.of()); // several segments
      }
    }
    for (ShardWriter w : shards) {
      w.commit(Map.of());
      w.close();
    }
    index = LiveIndex.open(root, "v");
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
  }

  private static SearchResult run(float[] q, SearchRequest r) throws Exception {
    IndexSearcher s = index.acquire();
    try {
      return VectorSearch.search(s, q, r, CENTROIDS);
    } finally {
      index.release(s);
    }
  }

  private static List<String> bruteForce(float[] q, int k, int cluster, int label) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      if ((cluster < 0 || i % 3 == cluster) && (label < 0 || i % 5 == label)) {
        ids.add(i);
      }
    }
    ids.sort(
        (a, b) ->
            Double.compare(
                Centroids.squaredDistance(q, POINTS[a]), Centroids.squaredDistance(q, POINTS[b])));
    return ids.subList(0, Math.min(k, ids.size())).stream().map(i -> "p" + i).toList();
  }

  @Test
  void exactMatchesBruteForceAndFindsTheQueryFirst() throws Exception {
    for (int i : new int[] {0, 77, 301, 599}) {
      SearchResult r = run(POINTS[i], new SearchRequest(10, SearchMode.EXACT, null, null, 10));
      assertThat(r.hits())
          .extracting(SearchResult.Hit::id)
          .isEqualTo(bruteForce(POINTS[i], 10, -1, -1));
      assertThat(r.hits().get(0).score()).isEqualTo(1f);
      assertThat(r.hits().get(0).cluster()).isEqualTo(i % 3);
      assertThat(r.hits().get(0).label()).isEqualTo(i % 5);
      assertThat(r.queryCluster()).isNull();
    }
  }

  @Test
  void hnswAgreesWithExactOnNearlyAllOfTheTop10() throws Exception {
    int agree = 0;
    for (int i = 0; i < N; i += 10) {
      List<String> exact = bruteForce(POINTS[i], 10, -1, -1);
      SearchResult r = run(POINTS[i], new SearchRequest(10, SearchMode.HNSW, null, null, 50));
      agree += (int) r.hits().stream().filter(h -> exact.contains(h.id())).count();
    }
    assertThat(agree / (N / 10 * 10.0)).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void filtersHoldAndStillReturnKResults() throws Exception {
    float[] q = POINTS[5];
    for (SearchMode mode : new SearchMode[] {SearchMode.HNSW, SearchMode.EXACT}) {
      SearchResult r = run(q, new SearchRequest(15, mode, 1, 3, 15));
      assertThat(r.hits()).as(mode.name()).hasSize(15);
      assertThat(r.hits()).allMatch(h -> h.cluster() == 1 && h.label() == 3);
    }
    SearchResult exact = run(q, new SearchRequest(15, SearchMode.EXACT, 1, 3, 15));
    assertThat(exact.hits()).extracting(SearchResult.Hit::id).isEqualTo(bruteForce(q, 15, 1, 3));
    // only 40 documents have cluster 1 and label 3: asking for more returns all of them
    assertThat(run(q, new SearchRequest(100, SearchMode.EXACT, 1, 3, 100)).hits()).hasSize(40);
  }

  @Test
  void clusterModeRanksOnlyThePredictedCluster() throws Exception {
    float[] q = POINTS[4].clone(); // blob 1
    SearchResult r = run(q, new SearchRequest(20, SearchMode.CLUSTER, null, null, 20));
    assertThat(r.queryCluster()).isEqualTo(1);
    assertThat(r.hits()).hasSize(20).allMatch(h -> h.cluster() == 1);
    assertThat(r.hits()).extracting(SearchResult.Hit::id).isEqualTo(bruteForce(q, 20, 1, -1));
    SearchResult labelled = run(q, new SearchRequest(5, SearchMode.CLUSTER, null, 2, 5));
    assertThat(labelled.hits()).allMatch(h -> h.cluster() == 1 && h.label() == 2);
  }

  @Test
  void excludingDuplicatesLeavesOutTheTaggedImagesInEveryMode() throws Exception {
    float[] q = POINTS[14]; // tagged itself
    for (SearchMode mode : SearchMode.values()) {
      List<String> all = ids(run(q, new SearchRequest(10, mode, null, null, 200)));
      List<String> originals = ids(run(q, new SearchRequest(10, mode, null, null, 200, true)));
      assertThat(all).as(mode.name()).contains("p14");
      assertThat(originals)
          .as(mode.name())
          .hasSize(10)
          .noneMatch(id -> Integer.parseInt(id.substring(1)) % 7 == 0);
    }
    List<String> exact = ids(run(q, new SearchRequest(10, SearchMode.EXACT, null, null, 1, true)));
    List<String> expected =
        bruteForce(q, N, -1, -1).stream()
            .filter(id -> Integer.parseInt(id.substring(1)) % 7 != 0)
            .limit(10)
            .toList();
    assertThat(exact).containsExactlyElementsOf(expected);
  }

  private static List<String> ids(SearchResult r) {
    return r.hits().stream().map(SearchResult.Hit::id).toList();
  }

  @Test
  void vectorOfAndRequestChecks() throws Exception {
    IndexSearcher s = index.acquire();
    try {
      assertThat(VectorSearch.vectorOf(s, "p42")).containsExactly(POINTS[42]);
      assertThat(VectorSearch.vectorOf(s, "nope")).isNull();
    } finally {
      index.release(s);
    }
    assertThatThrownBy(() -> new SearchRequest(0, SearchMode.HNSW, null, null, 1))
        .hasMessageContaining("k must be");
    assertThatThrownBy(() -> new SearchRequest(5, SearchMode.CLUSTER, 1, null, 1))
        .hasMessageContaining("mode=cluster");
    assertThatThrownBy(() -> SearchMode.parse("fuzzy"))
        .hasMessageContaining("hnsw, cluster, exact");
  }
}
