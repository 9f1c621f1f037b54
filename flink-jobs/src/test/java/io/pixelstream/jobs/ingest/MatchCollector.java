package io.pixelstream.jobs.ingest;

import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.WatchTopicFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the match topic from its start on a thread of its own, for the watch ITCases. */
final class MatchCollector implements AutoCloseable {

  private final List<MatchEvent> events = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile RuntimeException failure;

  MatchCollector(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-matches-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    thread =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of(topic));
                while (!stopped) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    MatchEvent e = WatchTopicFormat.readMatch(r.value());
                    synchronized (events) {
                      events.add(e);
                    }
                  }
                }
              } catch (RuntimeException e) {
                failure = e;
              }
            },
            "it-match-collector");
    thread.start();
  }

  List<MatchEvent> events() {
    if (failure != null) {
      throw failure;
    }
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Waits until an event satisfies {@code condition}; fails after {@code timeout}. */
  MatchEvent await(Predicate<MatchEvent> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (MatchEvent e : events()) {
        if (condition.test(e)) {
          return e;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such match event after " + timeout + "; have " + events().size());
  }

  /** Waits until at least {@code n} events arrived; fails after {@code timeout}. */
  void awaitCount(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (events().size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + events().size() + " of " + n + " match events");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
  }
}
