package io.pixelstream.jobs.ingest;

import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Names of the job's own metrics, all under the {@value #GROUP} group of each operator (the
 * Prometheus reporter exports e.g. {@code
 * flink_taskmanager_job_task_operator_pixelstream_indexed}).
 */
public final class IngestMetrics {

  public static final String GROUP = "pixelstream";

  /** Records read from the input topic. */
  public static final String RECORDS_IN = "recordsIn";

  /** Records sent to the dead-letter topic. */
  public static final String DEAD_LETTERED = "deadLettered";

  /** Images embedded. */
  public static final String EMBEDDED = "embedded";

  /** Encoder batch sizes. */
  public static final String BATCH_SIZE = "batchSize";

  /** Milliseconds per encoder call. */
  public static final String EMBED_LATENCY_MS = "embedLatencyMs";

  /** Images written to the index (upserts). */
  public static final String INDEXED = "indexed";

  /** Deletes applied to the index. */
  public static final String DELETED = "deleted";

  /** Index commits. */
  public static final String COMMITS = "commits";

  /** Milliseconds from the Kafka record timestamp to the commit that made it searchable. */
  public static final String FRESHNESS_MS = "freshnessMs";

  /** Epoch ms of the shard's last commit. */
  public static final String LAST_COMMIT_TIME = "lastCommitTime";

  /** Window of the histograms: the most recent values kept. */
  private static final int HISTOGRAM_WINDOW = 10_000;

  private IngestMetrics() {}

  static MetricGroup group(MetricGroup operatorGroup) {
    return operatorGroup.addGroup(GROUP);
  }

  static Histogram histogram(MetricGroup group, String name) {
    return group.histogram(name, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
  }
}
