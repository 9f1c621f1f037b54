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

  /** Images not written to {@code kafka.fresh-topic} because they were embedded too late. */
  public static final String FRESH_SKIPPED = "freshSkipped";

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

  /** Durable index commits (one per checkpoint with changes). */
  public static final String COMMITS = "commits";

  /** Publishes: commits without fsyncs that make writes searchable between checkpoints. */
  public static final String PUBLISHES = "publishes";

  /**
   * Milliseconds from the Kafka record timestamp to the publish or commit that made it searchable.
   */
  public static final String FRESHNESS_MS = "freshnessMs";

  /** Milliseconds from the end of an image's encoder batch to the sink's write (the shuffle). */
  public static final String FROM_EMBED_MS = "fromEmbedMs";

  /** Milliseconds from the sink's write of an image to the publish or commit that showed it. */
  public static final String VISIBLE_WAIT_MS = "visibleWaitMs";

  /** Milliseconds per publish (flush of the new segment, no fsync). */
  public static final String PUBLISH_MS = "publishMs";

  /** Milliseconds per durable commit (flush and fsync). */
  public static final String COMMIT_MS = "commitMs";

  /** Segments in the shard as of its last publish or commit. */
  public static final String SEGMENTS = "segments";

  /** fsync calls of the shard's commits so far (one per file, one per directory). */
  public static final String FSYNCS = "fsyncs";

  /** CPU nanoseconds of the shard's finished merges so far (HNSW graphs rebuilt, files copied). */
  public static final String MERGE_CPU_NANOS = "mergeCpuNanos";

  /** Milliseconds from the Kafka record timestamp to the embed step (source, decode, queues). */
  public static final String UNTIL_EMBED_MS = "untilEmbedMs";

  /** Milliseconds an image waited in the embed step's buffer before its batch was embedded. */
  public static final String BATCH_WAIT_MS = "batchWaitMs";

  /** Epoch ms of the shard's last commit. */
  public static final String LAST_COMMIT_TIME = "lastCommitTime";

  /**
   * Images the embed step prepared a second time because they were decoded for another model
   * version that prepares differently; 0 in steady state (the decode step leads model changes).
   */
  public static final String REPREPARED = "reprepared";

  /** Images decoded under one model that failed to prepare again for the next; dead-lettered. */
  public static final String REPREPARE_FAILED = "reprepareFailed";

  /** Images the sink re-embedded because they arrived embedded with the previous model. */
  public static final String STRAGGLERS_REEMBEDDED = "stragglersReembedded";

  /** Images of the served version this shard's backfill has visited (copied or skipped). */
  public static final String BACKFILL_VISITED = "backfillVisited";

  /** Live images in the served version's shard when the backfill (re)started. */
  public static final String BACKFILL_TOTAL = "backfillTotal";

  /** Images per second the backfill re-embedded over its last progress interval. */
  public static final String BACKFILL_RATE = "backfillImagesPerSecond";

  /** Stored images the backfill could not re-embed (logged). */
  public static final String BACKFILL_FAILED = "backfillFailed";

  /** Times this shard's writer moved to a newly served model version. */
  public static final String MODEL_SWITCHES = "modelSwitches";

  /**
   * Nanoseconds spent decoding and preparing records, a running total: its rate is the share of a
   * core the stage takes, which is how the benchmark splits the job's time.
   */
  public static final String DECODE_NANOS = "decodeNanos";

  /** Nanoseconds spent embedding and assigning clusters, a running total. */
  public static final String EMBED_NANOS = "embedNanos";

  /** Nanoseconds spent writing upserts and deletes into the shard, a running total. */
  public static final String INDEX_NANOS = "indexNanos";

  /**
   * Nanoseconds the sink's thread spent in durable index commits, a running total (publishes run on
   * a thread of their own: {@link #PUBLISH_MS}).
   */
  public static final String COMMIT_NANOS = "commitNanos";

  /** Watches the match step holds. */
  public static final String WATCHES = "watches";

  /** Match events emitted (a replay after a restore counts again; the topic holds each once). */
  public static final String MATCHES = "matches";

  /** Milliseconds from an image's Kafka timestamp to its match. */
  public static final String MATCH_LATENCY_MS = "matchLatencyMs";

  /** Match events not written again because a replay after a restore found them on the topic. */
  public static final String MATCHES_REPLAYED = "matchesReplayed";

  /** Images tagged as near-copies of indexed ones ({@code ingest.duplicate-threshold}). */
  public static final String DUPLICATES = "duplicates";

  /** Nanoseconds spent looking new images up for near-copies, a running total. */
  public static final String DUPLICATE_LOOKUP_NANOS = "duplicateLookupNanos";

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
