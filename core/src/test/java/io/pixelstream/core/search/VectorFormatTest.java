package io.pixelstream.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each vector format writes a shard that searches as HNSW should: recall@10 against exact
 * neighbours, on 2,000 64-d points in 20 blobs; the quantized formats write their quantized vectors
 * ({@code .veq}) beside the float ones.
 */
class VectorFormatTest {

  private static final int N = 2000;
  private static final int DIM = 64;

  private static float[][] points() {
    Random random = new Random(8);
    float[][] centres = new float[20][DIM];
    for (float[] c : centres) {
      for (int d = 0; d < DIM; d++) {
        c[d] = (float) random.nextGaussian() * 3;
      }
    }
    float[][] p = new float[N][DIM];
    for (int i = 0; i < N; i++) {
      for (int d = 0; d < DIM; d++) {
        p[i][d] = centres[i % 20][d] + (float) random.nextGaussian();
      }
    }
    return p;
  }

  private static Set<Integer> exact(float[][] p, float[] q, int k) {
    Integer[] idx = new Integer[p.length];
    double[] dist = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      idx[i] = i;
      for (int d = 0; d < DIM; d++) {
        dist[i] += (p[i][d] - q[d]) * (p[i][d] - q[d]);
      }
    }
    Arrays.sort(idx, (a, b) -> Double.compare(dist[a], dist[b]));
    return new HashSet<>(Arrays.asList(idx).subList(0, k));
  }

  @ParameterizedTest
  @CsvSource({"FLOAT32, 0.95, 0.95", "INT8, 0.85, 0.95", "INT4, 0.65, 0.90"})
  void searchesWithTheRecallItsBitsAllow(
      HnswOptions.VectorFormat format,
      double minRecall,
      double minRescoredRecall,
      @TempDir Path dir)
      throws Exception {
    float[][] p = points();
    Path shard = dir.resolve("shard-0");
    try (ShardWriter w =
        ShardWriter.open(
            shard, VectorSimilarityFunction.EUCLIDEAN, new HnswOptions(16, 100, format), 16, 0)) {
      for (int i = 0; i < N; i++) {
        w.upsert(new IndexedImage("p" + i, p[i], 0, 0, null, "v", 0L, 0L, new byte[] {1}));
      }
      w.commit(Map.of());
    }
    try (Stream<Path> files = Files.list(shard)) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      assertThat(names.stream().anyMatch(n -> n.endsWith(".veq")))
          .as("quantized vectors in %s", names)
          .isEqualTo(format != HnswOptions.VectorFormat.FLOAT32);
    }
    Random random = new Random(9);
    int hits = 0;
    int rescoredHits = 0;
    int queries = 50;
    try (FSDirectory d = FSDirectory.open(shard);
        DirectoryReader reader = DirectoryReader.open(d)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      for (int q = 0; q < queries; q++) {
        float[] query = p[random.nextInt(N)].clone();
        for (int k = 0; k < DIM; k++) {
          query[k] += (float) random.nextGaussian() * 0.5f;
        }
        Set<Integer> truth = exact(p, query, 10);
        hits +=
            hitsIn(
                searcher,
                truth,
                searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, query, 10), 10));
        TopDocs candidates =
            searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, query, 40), 40);
        rescoredHits +=
            hitsIn(searcher, truth, VectorSearch.rescored(searcher, query, candidates, 10));
      }
    }
    double recall = hits / (queries * 10.0);
    double rescored = rescoredHits / (queries * 10.0);
    System.out.printf(
        "vector format %s: recall@10 %.3f, of 40 rescored %.3f, on %d points%n",
        format, recall, rescored, N);
    assertThat(recall).isGreaterThanOrEqualTo(minRecall);
    assertThat(rescored).isGreaterThanOrEqualTo(minRescoredRecall);
  }

  private static int hitsIn(IndexSearcher searcher, Set<Integer> truth, TopDocs top)
      throws Exception {
    int hits = 0;
    for (ScoreDoc sd : top.scoreDocs) {
      String id = searcher.storedFields().document(sd.doc).get(IndexFields.ID);
      if (truth.contains(Integer.parseInt(id.substring(1)))) {
        hits++;
      }
    }
    return hits;
  }
}
