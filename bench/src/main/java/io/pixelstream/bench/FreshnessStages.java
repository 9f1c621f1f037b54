package io.pixelstream.bench;

import io.pixelstream.jobs.ingest.IngestMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an image's time goes between produce and answerable, stage by stage: the job's latency
 * histograms (p50 and p99 of their recent window, from Flink's Prometheus reporter, worst subtask),
 * its commit, publish and fsync counts and segment count, and the query API's refresh lag (commit
 * to searcher, and the part of it spent opening the searcher, from its {@code /metrics}
 * histograms), and with a fresh-images topic the time from an image's Kafka timestamp, and from the
 * job's write, to the API holding it. Two readings around a run give rates and the API's quantiles
 * for that run.
 */
final class FreshnessStages {

  /** Stage label -> the job histogram behind it, in pipeline order. */
  static final Map<String, String> JOB_STAGES = new LinkedHashMap<>();

  static {
    JOB_STAGES.put("Kafka timestamp -> embed step", IngestMetrics.UNTIL_EMBED_MS);
    JOB_STAGES.put("wait for the batch", IngestMetrics.BATCH_WAIT_MS);
    JOB_STAGES.put("embedding, per batch", IngestMetrics.EMBED_LATENCY_MS);
    JOB_STAGES.put("end of batch -> sink write", IngestMetrics.FROM_EMBED_MS);
    JOB_STAGES.put("sink write -> visible (publish or commit)", IngestMetrics.VISIBLE_WAIT_MS);
    JOB_STAGES.put("one publish (flush, no fsync)", IngestMetrics.PUBLISH_MS);
    JOB_STAGES.put("one durable commit (flush, fsync)", IngestMetrics.COMMIT_MS);
    JOB_STAGES.put("Kafka timestamp -> visible in the job", IngestMetrics.FRESHNESS_MS);
  }

  /** The API's histogram of commit on disk -> new searcher. */
  static final String API_LAG = "pixelstream_query_refresh_lag_seconds";

  /** The API's histogram of the time to open a new searcher (part of {@link #API_LAG}). */
  static final String API_OPEN = "pixelstream_query_refresh_open_seconds";

  /**
   * From an image's Kafka timestamp to the API holding it from the fresh-images topic: one
   * observation per record the API read.
   */
  static final String API_FRESH_LAG = "pixelstream_query_fresh_lag_seconds";

  /** From the job writing a fresh-topic record to the API holding it (part of the above). */
  static final String API_FRESH_DELIVERY = "pixelstream_query_fresh_delivery_seconds";

  /**
   * One reading: job quantiles by metric and quantile, job totals, the API histograms' buckets
   * (histogram -> upper bound in seconds -> count).
   */
  record Reading(
      long at,
      Map<String, Double> jobQuantiles,
      Map<String, Double> jobTotals,
      Map<String, TreeMap<Double, Double>> apiBuckets) {}

  private FreshnessStages() {}

  static Reading read(int jobMetricsPort, int apiPort) throws IOException, InterruptedException {
    Map<String, Double> quantiles = new LinkedHashMap<>();
    Map<String, Double> totals = new LinkedHashMap<>();
    for (PrometheusScrape.Sample s : PrometheusScrape.scrape(jobMetricsPort)) {
      String metric = s.name().substring(s.name().lastIndexOf('_') + 1);
      if (!s.name().contains("_" + IngestMetrics.GROUP + "_")) {
        continue;
      }
      String q = s.label("quantile");
      if (q != null) {
        quantiles.merge(metric + "@" + q, s.value(), Math::max);
      } else if (!s.name().endsWith("_count")) {
        totals.merge(metric, s.value(), Double::sum);
      }
    }
    Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
    for (PrometheusScrape.Sample s : PrometheusScrape.scrape(apiPort)) {
      for (String histogram : new String[] {API_LAG, API_OPEN, API_FRESH_LAG, API_FRESH_DELIVERY}) {
        if (s.name().equals(histogram + "_bucket")) {
          String le = s.label("le");
          buckets
              .computeIfAbsent(histogram, h -> new TreeMap<>())
              .put(
                  le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value());
        }
      }
    }
    return new Reading(System.currentTimeMillis(), quantiles, totals, buckets);
  }

  /** {@code metric}'s quantile {@code q} ("0.5", "0.99") at {@code r}, in its own unit. */
  static double quantile(Reading r, String metric, String q) {
    return r.jobQuantiles().getOrDefault(metric + "@" + q, Double.NaN);
  }

  /** How much a job total (a counter or an ever-growing gauge) grew between two readings. */
  static double delta(Reading before, Reading after, String metric) {
    return after.jobTotals().getOrDefault(metric, 0.0)
        - before.jobTotals().getOrDefault(metric, 0.0);
  }

  /** {@link #delta} per second. */
  static double rate(Reading before, Reading after, String metric) {
    return delta(before, after, metric) * 1000.0 / Math.max(1, after.at() - before.at());
  }

  /**
   * The quantile {@code q} (0-1) in ms of the API's {@code histogram} ({@link #API_LAG}, {@link
   * #API_OPEN}, {@link #API_FRESH_LAG}, {@link #API_FRESH_DELIVERY}) over what it saw between two
   * readings: the upper bound of the bucket it falls in.
   */
  static double apiMs(Reading before, Reading after, String histogram, double q) {
    TreeMap<Double, Double> was = before.apiBuckets().getOrDefault(histogram, new TreeMap<>());
    TreeMap<Double, Double> is = after.apiBuckets().getOrDefault(histogram, new TreeMap<>());
    double total = apiCount(before, after, histogram);
    if (total <= 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> b : is.entrySet()) {
      double count = b.getValue() - was.getOrDefault(b.getKey(), 0.0);
      if (count >= q * total) {
        return b.getKey() * 1000;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** How many observations the API's {@code histogram} gained between two readings. */
  static double apiCount(Reading before, Reading after, String histogram) {
    return observed(after, histogram) - observed(before, histogram);
  }

  /** The API's {@code histogram}'s count at {@code r}: its +Inf bucket. */
  private static double observed(Reading r, String histogram) {
    TreeMap<Double, Double> buckets = r.apiBuckets().getOrDefault(histogram, new TreeMap<>());
    return buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
  }

  /**
   * Prints where the freshness run's time went and appends each figure to {@code into} (figure ->
   * one value per run).
   */
  static void print(Reading before, Reading after, Map<String, List<double[]>> into) {
    Map<String, double[]> rows = new LinkedHashMap<>();
    JOB_STAGES.forEach(
        (stage, metric) ->
            rows.put(
                stage + ", ms",
                new double[] {quantile(after, metric, "0.5"), quantile(after, metric, "0.99")}));
    rows.put(
        "query API: commit on disk -> new searcher, ms",
        new double[] {apiMs(before, after, API_LAG, 0.5), apiMs(before, after, API_LAG, 0.99)});
    rows.put(
        "query API: of it, opening the searcher, ms",
        new double[] {apiMs(before, after, API_OPEN, 0.5), apiMs(before, after, API_OPEN, 0.99)});
    rows.put(
        "query API: Kafka timestamp -> held (fresh topic), ms",
        new double[] {
          apiMs(before, after, API_FRESH_LAG, 0.5), apiMs(before, after, API_FRESH_LAG, 0.99)
        });
    rows.put(
        "query API: of it, job's write -> held, ms",
        new double[] {
          apiMs(before, after, API_FRESH_DELIVERY, 0.5),
          apiMs(before, after, API_FRESH_DELIVERY, 0.99)
        });
    rows.put(
        "publishes / durable commits / fsyncs per s",
        new double[] {
          rate(before, after, IngestMetrics.PUBLISHES),
          rate(before, after, IngestMetrics.COMMITS),
          rate(before, after, IngestMetrics.FSYNCS)
        });
    rows.put(
        "images written late, not to the fresh topic",
        new double[] {delta(before, after, IngestMetrics.FRESH_SKIPPED)});
    rows.put(
        "records the API read from the fresh topic",
        new double[] {apiCount(before, after, API_FRESH_LAG)});
    rows.put(
        "segments in the shards (job's view)",
        new double[] {after.jobTotals().getOrDefault(IngestMetrics.SEGMENTS, Double.NaN)});
    System.out.printf("%-46s %s%n", "stage (p50, p99; recent window)", "");
    rows.forEach(
        (name, v) -> {
          System.out.printf("  %-44s %s%n", name, Arrays.toString(v));
          into.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
        });
  }
}
