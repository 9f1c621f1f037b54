package io.pixelstream.bench;

import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.WatchTopicFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a match topic on a thread of its own and keeps, per event, produce -> received here: the
 * image record's timestamp (the producer's clock, this machine's) to the moment this consumer got
 * the event.
 */
final class MatchTimes implements AutoCloseable {

  private final List<Double> receivedMs = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  MatchTimes(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-matches-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    thread =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of(topic));
                while (!stopped) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    MatchEvent e = WatchTopicFormat.readMatch(r.value());
                    synchronized (receivedMs) {
                      receivedMs.add((double) (now - e.eventTime()));
                    }
                  }
                }
              }
            },
            "bench-match-times");
    thread.setDaemon(true);
    thread.start();
  }

  int count() {
    synchronized (receivedMs) {
      return receivedMs.size();
    }
  }

  /** Produce -> received, ms, of the events after the first {@code skip}. */
  double[] after(int skip) {
    synchronized (receivedMs) {
      return receivedMs.subList(Math.min(skip, receivedMs.size()), receivedMs.size()).stream()
          .mapToDouble(Double::doubleValue)
          .toArray();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
  }
}
