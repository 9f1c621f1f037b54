package io.pixelstream.jobs.ingest;

import java.util.Arrays;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;

/**
 * The sink's writes that searchers cannot see yet, and the freshness figures they give once a
 * publish or commit shows them: produce -> visible ({@link IngestMetrics#FRESHNESS_MS}), sink write
 * -> visible ({@link IngestMetrics#VISIBLE_WAIT_MS}) and, at each write, end of embedding -> sink
 * ({@link IngestMetrics#FROM_EMBED_MS}). Not thread-safe: the sink writer's thread calls it.
 */
final class PendingVisibility {

  private long[] eventTimes = new long[1024];
  private long[] writeTimes = new long[1024];
  private int pending;

  private final Histogram freshness;
  private final Histogram visibleWait;
  private final Histogram fromEmbed;

  PendingVisibility(MetricGroup group) {
    freshness = IngestMetrics.histogram(group, IngestMetrics.FRESHNESS_MS);
    visibleWait = IngestMetrics.histogram(group, IngestMetrics.VISIBLE_WAIT_MS);
    fromEmbed = IngestMetrics.histogram(group, IngestMetrics.FROM_EMBED_MS);
  }

  /** The sink wrote {@code e} (an upsert or a delete) now. */
  void written(ImageEvent e) {
    long now = System.currentTimeMillis();
    if (!e.deleted) {
      fromEmbed.update(now - e.ingestTime);
    }
    if (pending == eventTimes.length) {
      eventTimes = Arrays.copyOf(eventTimes, pending * 2);
      writeTimes = Arrays.copyOf(writeTimes, pending * 2);
    }
    eventTimes[pending] = e.eventTime;
    writeTimes[pending++] = now;
  }

  /** Writes since the last {@link #visible}. */
  int pending() {
    return pending;
  }

  /** Every pending write became visible at {@code visibleAt} (epoch ms). */
  void visible(long visibleAt) {
    new Batch(eventTimes, writeTimes, pending).visible(visibleAt);
    pending = 0;
  }

  /**
   * The pending writes, handed over to whoever makes them visible (their arrays go with them); none
   * is pending after.
   */
  Batch take() {
    Batch batch = new Batch(eventTimes, writeTimes, pending);
    eventTimes = new long[eventTimes.length];
    writeTimes = new long[writeTimes.length];
    pending = 0;
    return batch;
  }

  /** Writes on their way to visibility; {@link #visible} may be called from any thread. */
  final class Batch {
    private final long[] eventTimes;
    private final long[] writeTimes;
    private final int size;

    private Batch(long[] eventTimes, long[] writeTimes, int size) {
      this.eventTimes = eventTimes;
      this.writeTimes = writeTimes;
      this.size = size;
    }

    /** These writes became visible at {@code visibleAt} (epoch ms). */
    void visible(long visibleAt) {
      for (int i = 0; i < size; i++) {
        freshness.update(visibleAt - eventTimes[i]);
        visibleWait.update(visibleAt - writeTimes[i]);
      }
    }
  }
}
