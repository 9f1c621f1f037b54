package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.ShardSink;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;

/**
 * What one {@link ShardSinkWriter} reports: its counters and histograms, and the gauges that read
 * its current shard and move (the metric reporter's thread calls them).
 */
final class ShardWriterMetrics {

  final MetricGroup group;
  final Counter indexed;
  final Counter deleted;
  final Counter commits;
  final Counter stragglers;
  final Counter backfillFailed;
  final Counter switches;
  final Counter indexNanos;
  final Counter commitNanos;
  final Histogram commitMs;
  private volatile long lastCommitTime;

  ShardWriterMetrics(MetricGroup metrics, Supplier<ShardSink> shard, Supplier<ShardMove> move) {
    group = IngestMetrics.group(metrics);
    indexed = group.counter(IngestMetrics.INDEXED);
    deleted = group.counter(IngestMetrics.DELETED);
    commits = group.counter(IngestMetrics.COMMITS);
    stragglers = group.counter(IngestMetrics.STRAGGLERS_REEMBEDDED);
    backfillFailed = group.counter(IngestMetrics.BACKFILL_FAILED);
    switches = group.counter(IngestMetrics.MODEL_SWITCHES);
    indexNanos = group.counter(IngestMetrics.INDEX_NANOS);
    commitNanos = group.counter(IngestMetrics.COMMIT_NANOS);
    commitMs = IngestMetrics.histogram(group, IngestMetrics.COMMIT_MS);
    group.gauge(IngestMetrics.LAST_COMMIT_TIME, () -> lastCommitTime);
    group.gauge(IngestMetrics.SEGMENTS, () -> shard.get().segments());
    group.gauge(IngestMetrics.FSYNCS, () -> shard.get().fsyncs());
    group.gauge(IngestMetrics.MERGE_CPU_NANOS, () -> shard.get().mergeCpuNanos());
    group.gauge(IngestMetrics.BACKFILL_VISITED, () -> moveOr(move, 0L, ShardMove::visited));
    group.gauge(IngestMetrics.BACKFILL_TOTAL, () -> moveOr(move, 0L, ShardMove::total));
    group.gauge(IngestMetrics.BACKFILL_RATE, () -> moveOr(move, 0.0, ShardMove::rate));
  }

  /** Counts a durable commit made at {@code time}. */
  void committed(long time) {
    commits.inc();
    lastCommitTime = time;
  }

  /** Records a commit's duration, also of one that failed. */
  void commitTook(long nanos) {
    commitNanos.inc(nanos);
    commitMs.update(nanos / 1_000_000);
  }

  private static <T> T moveOr(Supplier<ShardMove> move, T none, Function<ShardMove, T> figure) {
    ShardMove m = move.get(); // one read of the writer's volatile move
    return m == null ? none : figure.apply(m);
  }
}
