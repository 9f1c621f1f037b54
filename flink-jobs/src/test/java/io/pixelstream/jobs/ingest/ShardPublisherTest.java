package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.index.IndexedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.junit.jupiter.api.Test;

class ShardPublisherTest {

  /** A sink whose publish waits for the test and can fail. */
  private static final class GatedSink implements ShardSink {
    final CountDownLatch release = new CountDownLatch(1);
    final List<Map<String, String>> published = new ArrayList<>();
    volatile IOException failure;

    @Override
    public void publish(Map<String, String> data) throws IOException {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      if (failure != null) {
        throw failure;
      }
      published.add(data);
    }

    @Override
    public void upsert(IndexedImage image) {}

    @Override
    public void delete(String id) {}

    @Override
    public void commit(Map<String, String> data) {}

    @Override
    public Map<String, String> commitData() {
      return Map.of();
    }

    @Override
    public boolean hasUncommittedChanges() {
      return false;
    }

    @Override
    public int segments() {
      return -1;
    }

    @Override
    public long fsyncs() {
      return -1;
    }

    @Override
    public void close() {}
  }

  private final SimpleCounter publishes = new SimpleCounter();
  private final PendingVisibility pending = new PendingVisibility(new UnregisteredMetricsGroup());

  @Test
  void publishesOneAtATimeOffTheCallersThread() throws Exception {
    GatedSink sink = new GatedSink();
    try (ShardPublisher publisher =
        new ShardPublisher("test", publishes, new DescriptiveStatisticsHistogram(10))) {
      publisher.submit(sink, Map.of("sourceOffsets", "images-0=5"), pending.take());
      assertThat(publisher.busy()).isTrue(); // the caller was not held
      assertThatThrownBy(() -> publisher.submit(sink, Map.of(), pending.take()))
          .isInstanceOf(IllegalStateException.class);
      sink.release.countDown();
      publisher.await();
      assertThat(publisher.busy()).isFalse();
      assertThat(sink.published).containsExactly(Map.of("sourceOffsets", "images-0=5"));
      assertThat(publishes.getCount()).isEqualTo(1);
    }
  }

  @Test
  void aFailedPublishIsThrownToTheCallerOnce() throws Exception {
    GatedSink sink = new GatedSink();
    sink.failure = new IOException("No space left on device");
    try (ShardPublisher publisher =
        new ShardPublisher("test", publishes, new DescriptiveStatisticsHistogram(10))) {
      publisher.submit(sink, Map.of(), pending.take());
      publisher.checkFailure(); // still running: nothing to throw yet
      sink.release.countDown();
      assertThatThrownBy(publisher::await)
          .isInstanceOf(IOException.class)
          .hasMessage("No space left on device");
      publisher.checkFailure(); // thrown once
      assertThat(publishes.getCount()).isZero();
    }
  }
}
