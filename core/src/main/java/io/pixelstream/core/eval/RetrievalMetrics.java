package io.pixelstream.core.eval;

import java.util.stream.IntStream;

/**
 * Label agreement of nearest neighbours by Euclidean distance, each item in turn being the query
 * and left out of its own results (exact, brute force).
 *
 * <ul>
 *   <li>precision@k: mean over queries of (neighbours among the top k with the query's label) / k;
 *   <li>mAP@k: mean over queries of AP@k = sum over ranks i <= k of precision@i at the relevant
 *       ranks, divided by min(k, number of other items with the query's label).
 * </ul>
 */
public final class RetrievalMetrics {

  /** precision@k and mAP@k. */
  public record Result(int k, double precisionAtK, double meanAveragePrecisionAtK) {}

  private RetrievalMetrics() {}

  /** Evaluates every item of {@code vectors} as a query against all the others. */
  public static Result evaluate(float[][] vectors, int[] labels, int k) {
    if (vectors.length != labels.length || vectors.length < 2) {
      throw new IllegalArgumentException("need at least 2 vectors, one label each");
    }
    if (k < 1 || k >= vectors.length) {
      throw new IllegalArgumentException("k must be in 1.." + (vectors.length - 1) + ", got " + k);
    }
    int[] classSize = new int[IntStream.of(labels).max().orElse(0) + 1];
    for (int l : labels) {
      classSize[l]++;
    }
    double[][] perQuery =
        IntStream.range(0, vectors.length)
            .parallel()
            .mapToObj(q -> query(vectors, labels, q, k, classSize[labels[q]] - 1))
            .toArray(double[][]::new);
    double p = 0;
    double ap = 0;
    for (double[] r : perQuery) {
      p += r[0];
      ap += r[1];
    }
    return new Result(k, p / vectors.length, ap / vectors.length);
  }

  private static double[] query(float[][] vectors, int[] labels, int q, int k, int relevantTotal) {
    int[] top = new int[k];
    double[] dist = new double[k];
    java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
    float[] query = vectors[q];
    for (int i = 0; i < vectors.length; i++) {
      if (i == q) {
        continue;
      }
      double d = 0;
      float[] v = vectors[i];
      for (int j = 0; j < v.length; j++) {
        double diff = v[j] - query[j];
        d += diff * diff;
      }
      if (d < dist[k - 1]) {
        int at = k - 1;
        while (at > 0 && dist[at - 1] > d) {
          dist[at] = dist[at - 1];
          top[at] = top[at - 1];
          at--;
        }
        dist[at] = d;
        top[at] = i;
      }
    }
    int hits = 0;
    double apSum = 0;
    for (int r = 0; r < k; r++) {
      if (labels[top[r]] == labels[q]) {
        hits++;
        apSum += hits / (double) (r + 1);
      }
    }
    int denominator = Math.min(k, relevantTotal);
    return new double[] {hits / (double) k, denominator == 0 ? 0 : apSum / denominator};
  }
}
