package io.pixelstream.deploy.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads a topic from its start on a daemon thread of its own until closed, handing each record and
 * the wall-clock time this consumer received it to a listener; for tests and benchmarks that watch
 * what a job writes.
 */
public final class TopicTail implements AutoCloseable {

  /** Gets every record of the topic, on the tail's thread. */
  public interface Listener {
    void received(ConsumerRecord<byte[], byte[]> record, long receivedAtMillis);
  }

  private final Thread thread;
  private volatile boolean stopped;
  private volatile RuntimeException failure;

  /**
   * Starts reading.
   *
   * @param pollTimeout the longest a poll waits; records arrive within about this and 10 ms
   */
  public TopicTail(String bootstrapServers, String topic, Duration pollTimeout, Listener listener) {
    Properties p = KafkaTopics.readerProperties(bootstrapServers, "tail-");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    thread =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of(topic));
                while (!stopped) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
                    listener.received(r, System.currentTimeMillis());
                  }
                }
              } catch (RuntimeException e) {
                failure = e;
              }
            },
            "tail-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** Throws what stopped the reading thread, if anything did. */
  public void checkFailure() {
    if (failure != null) {
      throw new IllegalStateException("reading the topic failed", failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
  }
}
