package io.pixelstream.core.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Agreement between a clustering and the true labels: normalised mutual information (arithmetic
 * mean normalisation, as scikit-learn's default), Rand index and adjusted Rand index.
 */
public final class ClusteringMetrics {

  private ClusteringMetrics() {}

  /** NMI = I(U;V) / ((H(U) + H(V)) / 2); 1 when both partitions are a single, identical cluster. */
  public static double nmi(int[] truth, int[] predicted) {
    Contingency t = new Contingency(truth, predicted);
    double n = truth.length;
    double hu = entropy(t.rowSums, n);
    double hv = entropy(t.colSums, n);
    double mi = 0;
    for (Map.Entry<Long, Long> e : t.cells.entrySet()) {
      int row = (int) (e.getKey() >> 32);
      int col = (int) (long) e.getKey();
      double nij = e.getValue();
      mi += nij / n * Math.log(n * nij / ((double) t.rowSums[row] * t.colSums[col]));
    }
    double mean = (hu + hv) / 2;
    if (mean == 0) {
      return 1.0;
    }
    return Math.max(0, mi / mean);
  }

  /** Fraction of point pairs on which the two partitions agree (same cluster or not). */
  public static double randIndex(int[] truth, int[] predicted) {
    Contingency t = new Contingency(truth, predicted);
    double n = truth.length;
    double pairs = n * (n - 1) / 2;
    if (pairs == 0) {
      return 1.0;
    }
    double sameBoth = sumPairs(t.cells.values().stream().mapToLong(Long::longValue).toArray());
    double sameTruth = sumPairs(t.rowSums);
    double samePred = sumPairs(t.colSums);
    return (pairs + 2 * sameBoth - sameTruth - samePred) / pairs;
  }

  /** Rand index adjusted for chance (Hubert and Arabie): 0 for random labels, 1 for identical. */
  public static double adjustedRandIndex(int[] truth, int[] predicted) {
    Contingency t = new Contingency(truth, predicted);
    double n = truth.length;
    double index = sumPairs(t.cells.values().stream().mapToLong(Long::longValue).toArray());
    double a = sumPairs(t.rowSums);
    double b = sumPairs(t.colSums);
    double expected = a * b / (n * (n - 1) / 2);
    double max = (a + b) / 2;
    if (max == expected) {
      return 1.0;
    }
    return (index - expected) / (max - expected);
  }

  private static double sumPairs(long[] counts) {
    double s = 0;
    for (long c : counts) {
      s += c * (c - 1) / 2.0;
    }
    return s;
  }

  private static double entropy(long[] counts, double n) {
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = c / n;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** Counts of (truth class, predicted cluster) pairs with labels mapped to dense indexes. */
  private static final class Contingency {
    final Map<Long, Long> cells = new HashMap<>();
    final long[] rowSums;
    final long[] colSums;

    Contingency(int[] truth, int[] predicted) {
      if (truth.length != predicted.length || truth.length == 0) {
        throw new IllegalArgumentException(
            "truth and predicted need the same, non-zero length: "
                + truth.length
                + " vs "
                + predicted.length);
      }
      int[] rows = dense(truth);
      int[] cols = dense(predicted);
      rowSums = new long[max(rows) + 1];
      colSums = new long[max(cols) + 1];
      for (int i = 0; i < rows.length; i++) {
        rowSums[rows[i]]++;
        colSums[cols[i]]++;
        cells.merge(((long) rows[i] << 32) | cols[i], 1L, Long::sum);
      }
    }

    private static int[] dense(int[] labels) {
      Map<Integer, Integer> ids = new HashMap<>();
      int[] out = new int[labels.length];
      for (int i = 0; i < labels.length; i++) {
        out[i] = ids.computeIfAbsent(labels[i], k -> ids.size());
      }
      return out;
    }

    private static int max(int[] a) {
      int m = 0;
      for (int v : a) {
        m = Math.max(m, v);
      }
      return m;
    }
  }
}
