package io.pixelstream.query;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of one topic on a daemon thread of its own until closed: a consumer with
 * no group assigns itself the partitions, {@link Reading#start} positions it, and each record goes
 * to {@link Reading#accept}. When Kafka fails the consumer is closed, and after a second a new one
 * is assigned and positioned again, so the reading decides where to resume.
 */
final class TopicFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
  private static final long RETRY_MS = 1000;

  /** What the follower does with its consumer and the records. */
  interface Reading {
    /** Seeks the freshly assigned consumer; called again after every reconnect. */
    void start(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions);

    void accept(ConsumerRecord<byte[], byte[]> record);

    /** Called after each poll, records or none. */
    default void polled(KafkaConsumer<byte[], byte[]> consumer) {}
  }

  private final Properties consumerProperties;
  private final String topic;
  private final Duration pollTimeout;
  private final Reading reading;
  private final Thread thread;
  private volatile boolean closed;

  TopicFollower(
      WatchOptions options,
      String topic,
      Duration pollTimeout,
      String threadName,
      Reading reading) {
    this(options, Map.of(), topic, pollTimeout, threadName, reading);
  }

  /** As above, with {@code consumerSettings} over the options' reader properties. */
  TopicFollower(
      WatchOptions options,
      Map<String, String> consumerSettings,
      String topic,
      Duration pollTimeout,
      String threadName,
      Reading reading) {
    this.consumerProperties = options.readerProperties();
    consumerProperties.putAll(consumerSettings);
    this.topic = topic;
    this.pollTimeout = pollTimeout;
    this.reading = reading;
    thread = new Thread(this::follow, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    while (!closed) {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties)) {
        List<TopicPartition> partitions =
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        reading.start(consumer, partitions);
        while (!closed) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
            reading.accept(r);
          }
          reading.polled(consumer);
        }
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("reading {} failed, retrying in {} ms: {}", topic, RETRY_MS, e.toString());
          try {
            Thread.sleep(RETRY_MS);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(5000);
  }
}
