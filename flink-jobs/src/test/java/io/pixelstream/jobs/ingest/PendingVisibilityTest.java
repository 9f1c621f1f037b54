package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class PendingVisibilityTest {

  /** Keeps the histograms so the test can read them. */
  private static final class Histograms extends UnregisteredMetricsGroup {
    final Map<String, Histogram> byName = new HashMap<>();

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
      byName.put(name, histogram);
      return histogram;
    }
  }

  private static ImageEvent event(long eventTime, long ingestTime, boolean deleted) {
    ImageEvent e = new ImageEvent();
    e.id = "x";
    e.eventTime = eventTime;
    e.ingestTime = ingestTime;
    e.deleted = deleted;
    return e;
  }

  @Test
  void everyPendingWriteCountsOnceWhenItBecomesVisible() {
    Histograms metrics = new Histograms();
    MetricGroup group = metrics;
    PendingVisibility pending = new PendingVisibility(group);
    long now = System.currentTimeMillis();
    for (int i = 0; i < 1500; i++) { // past the first array size
      pending.written(event(now - 400, now - 100, i % 500 == 0));
    }
    assertThat(pending.pending()).isEqualTo(1500);
    assertThat(metrics.byName.get(IngestMetrics.FROM_EMBED_MS).getCount())
        .as("deletes were not embedded")
        .isEqualTo(1497);

    pending.visible(now + 1000);
    assertThat(pending.pending()).isZero();
    Histogram freshness = metrics.byName.get(IngestMetrics.FRESHNESS_MS);
    assertThat(freshness.getCount()).isEqualTo(1500);
    assertThat(freshness.getStatistics().getMin()).isEqualTo(1400L);
    Histogram wait = metrics.byName.get(IngestMetrics.VISIBLE_WAIT_MS);
    assertThat(wait.getStatistics().getMax()).isBetween(900L, 1000L);

    pending.visible(now + 2000); // nothing new: nothing counted again
    assertThat(freshness.getCount()).isEqualTo(1500);
  }
}
