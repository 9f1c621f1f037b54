package io.pixelstream.bench;

import io.pixelstream.jobs.ingest.IngestMetrics;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's per-stage time totals ({@link IngestMetrics#DECODE_NANOS} and its siblings), read from
 * Flink's Prometheus reporter and summed over subtasks: two readings around a run give where its
 * time went.
 */
final class JobStageTimes {

  /** Stage name -> the job's metric for it, in pipeline order (the order of tables). */
  static final Map<String, String> STAGES = new LinkedHashMap<>();

  static {
    STAGES.put("decode", IngestMetrics.DECODE_NANOS);
    STAGES.put("embed", IngestMetrics.EMBED_NANOS);
    STAGES.put("index", IngestMetrics.INDEX_NANOS);
    STAGES.put("commit", IngestMetrics.COMMIT_NANOS);
    STAGES.put("merge", IngestMetrics.MERGE_CPU_NANOS);
  }

  private JobStageTimes() {}

  /** Nanoseconds per stage so far, summed over the job's subtasks. */
  static Map<String, Double> read(int prometheusPort) throws IOException, InterruptedException {
    Map<String, Double> out = new LinkedHashMap<>();
    STAGES.keySet().forEach(stage -> out.put(stage, 0.0));
    for (PrometheusScrape.Sample s : PrometheusScrape.scrape(prometheusPort)) {
      for (Map.Entry<String, String> stage : STAGES.entrySet()) {
        if (s.name().endsWith("_" + IngestMetrics.GROUP + "_" + stage.getValue())) {
          out.merge(stage.getKey(), s.value(), Double::sum);
        }
      }
    }
    return out;
  }
}
