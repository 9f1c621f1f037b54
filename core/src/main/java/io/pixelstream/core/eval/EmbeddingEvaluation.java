package io.pixelstream.core.eval;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.cluster.KMeans;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation the trainer gates promotion on: k-means over the embeddings with several seeds
 * (mean and standard deviation of NMI, Rand index, adjusted Rand index) and retrieval quality
 * (precision@10, mAP@10, leaving the query out).
 */
public final class EmbeddingEvaluation {

  /** Mean and (population) standard deviation over k-means seeds. */
  public record Spread(double mean, double std) {
    static Spread of(double[] values) {
      double mean = 0;
      for (double v : values) {
        mean += v;
      }
      mean /= values.length;
      double var = 0;
      for (double v : values) {
        var += (v - mean) * (v - mean);
      }
      return new Spread(mean, Math.sqrt(var / values.length));
    }
  }

  /** The figures of one evaluation. */
  public record Report(
      int items,
      int clusters,
      int seeds,
      Spread nmi,
      Spread randIndex,
      Spread adjustedRandIndex,
      double precisionAt10,
      double mapAt10) {

    /**
     * Formats a table row: {@code pattern} gets {@code name}, then NMI mean and std, RI mean and
     * std, ARI mean and std, precision@10, mAP@10.
     */
    public String formatRow(String pattern, String name) {
      return String.format(
          pattern,
          name,
          nmi.mean(),
          nmi.std(),
          randIndex.mean(),
          randIndex.std(),
          adjustedRandIndex.mean(),
          adjustedRandIndex.std(),
          precisionAt10,
          mapAt10);
    }

    /** Flat name -> value map, as stored in a manifest's {@code evaluation} and in history. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("items", items);
      m.put("clusters", clusters);
      m.put("seeds", seeds);
      m.put("nmi", nmi.mean());
      m.put("nmiStd", nmi.std());
      m.put("randIndex", randIndex.mean());
      m.put("randIndexStd", randIndex.std());
      m.put("adjustedRandIndex", adjustedRandIndex.mean());
      m.put("adjustedRandIndexStd", adjustedRandIndex.std());
      m.put("precisionAt10", precisionAt10);
      m.put("mapAt10", mapAt10);
      return m;
    }
  }

  private EmbeddingEvaluation() {}

  /** The cluster of each vector after one k-means fit ({@code clusters} clusters, {@code seed}). */
  public static int[] kMeansClusters(float[][] vectors, int clusters, long seed) {
    Centroids c = KMeans.fit(vectors, clusters, seed);
    int[] assigned = new int[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      assigned[i] = c.nearest(vectors[i]);
    }
    return assigned;
  }

  /**
   * Evaluates {@code vectors} against {@code labels}.
   *
   * @param clusters k for k-means (usually the number of classes)
   * @param seeds k-means seeds, one fit per seed
   */
  public static Report evaluate(float[][] vectors, int[] labels, int clusters, long[] seeds) {
    if (seeds.length == 0) {
      throw new IllegalArgumentException("seeds must hold at least one seed");
    }
    double[] nmi = new double[seeds.length];
    double[] ri = new double[seeds.length];
    double[] ari = new double[seeds.length];
    for (int s = 0; s < seeds.length; s++) {
      int[] assigned = kMeansClusters(vectors, clusters, seeds[s]);
      nmi[s] = ClusteringMetrics.nmi(labels, assigned);
      ri[s] = ClusteringMetrics.randIndex(labels, assigned);
      ari[s] = ClusteringMetrics.adjustedRandIndex(labels, assigned);
    }
    RetrievalMetrics.Result r = RetrievalMetrics.evaluate(vectors, labels, 10);
    return new Report(
        vectors.length,
        clusters,
        seeds.length,
        Spread.of(nmi),
        Spread.of(ri),
        Spread.of(ari),
        r.precisionAtK(),
        r.meanAveragePrecisionAtK());
  }
}
