package io.pixelstream.bench;

import io.pixelstream.core.search.SearchResult;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Percentiles and medians (nearest-rank on sorted copies) and recall for benchmark tables. */
final class Stats {

  private Stats() {}

  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /**
   * The percentile {@code p} of each of {@code parts} consecutive slices of {@code values} (in the
   * order they were taken): where in a run its tail came from.
   */
  static double[] percentileByPart(double[] values, int parts, double p) {
    double[] out = new double[parts];
    for (int i = 0; i < parts; i++) {
      out[i] =
          percentile(
              Arrays.copyOfRange(
                  values, values.length * i / parts, values.length * (i + 1) / parts),
              p);
    }
    return out;
  }

  static double median(double[] values) {
    return percentile(values, 50);
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** "median (min-max)" of several runs' figures, each with {@code format}, for tables. */
  static String spread(double[] runs, String format) {
    return String.format(format, median(runs))
        + " ("
        + String.format(format, min(runs))
        + "-"
        + String.format(format, max(runs))
        + ")";
  }

  /** The share of {@code exact}'s top 10 among {@code approx}'s hits: one query's recall@10. */
  static double recallAt10(SearchResult exact, SearchResult approx) {
    Set<String> truth = new HashSet<>();
    exact.hits().forEach(h -> truth.add(h.id()));
    return approx.hits().stream().filter(h -> truth.contains(h.id())).count() / 10.0;
  }

  /** Median, min and max of several runs' figures, as the JSON results hold them. */
  static Map<String, Double> summary(double[] runs) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("median", median(runs));
    out.put("min", min(runs));
    out.put("max", max(runs));
    return out;
  }
}
