package io.pixelstream.jobs.ingest;

import io.pixelstream.core.fresh.FreshImage;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;

/**
 * What goes to {@code kafka.fresh-topic}: every delete, and each complete image (vector, bytes and
 * model version) embedded at most {@code maxLagMs} after its Kafka timestamp. A late image means a
 * backlog, where writing it would cost throughput for little: it is answerable after its shard's
 * next publish instead, and counted ({@link IngestMetrics#FRESH_SKIPPED}).
 */
final class FreshImageFilter extends RichFilterFunction<ImageEvent> {

  private final long maxLagMs;
  private transient Counter skipped;

  FreshImageFilter(long maxLagMs) {
    this.maxLagMs = maxLagMs;
  }

  @Override
  public void open(OpenContext context) {
    skipped =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.FRESH_SKIPPED);
  }

  @Override
  public boolean filter(ImageEvent e) {
    if (e.deleted) {
      return true;
    }
    if (!FreshImage.complete(e.modelVersion, e.vector, e.image)) {
      return false;
    }
    if (System.currentTimeMillis() - e.eventTime > maxLagMs) {
      if (skipped != null) {
        skipped.inc();
      }
      return false;
    }
    return true;
  }
}
