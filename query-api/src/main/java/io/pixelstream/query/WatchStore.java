package io.pixelstream.query;

import io.pixelstream.core.watch.Watch;
import io.pixelstream.core.watch.WatchTopicFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches as the compacted watches topic holds them: the topic is read from its start on a
 * thread of its own into memory, and every change is written to the topic first (acknowledged by
 * all replicas) and then applied here, so the API keeps no state the topic does not have. Until the
 * first read reached the topic's end, {@link #ready} is false and the API answers 503.
 */
final class WatchStore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WatchStore.class);
  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final WatchOptions options;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final KafkaProducer<byte[], byte[]> producer;
  private final TopicFollower reader;
  private volatile boolean ready;

  WatchStore(WatchOptions options) {
    this.options = options;
    Properties p = options.clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
    producer = new KafkaProducer<>(p);
    reader =
        new TopicFollower(
            options, options.watchTopic(), Duration.ofMillis(200), "watch-store", reading());
  }

  boolean ready() {
    return ready;
  }

  int maxWatches() {
    return options.maxWatches();
  }

  /** Every watch, oldest first. */
  List<Watch> list() {
    return watches.values().stream()
        .sorted(Comparator.comparingLong(Watch::createdAt).thenComparing(Watch::id))
        .toList();
  }

  Optional<Watch> get(String id) {
    return Optional.ofNullable(watches.get(id));
  }

  /**
   * Stores {@code watch} unless the cap is reached.
   *
   * @return false when {@code maxWatches} watches exist already
   * @throws IllegalStateException when Kafka did not acknowledge it in time
   */
  synchronized boolean create(Watch watch) {
    if (watches.size() >= options.maxWatches()) {
      return false;
    }
    send(watch.id(), WatchTopicFormat.write(watch));
    watches.put(watch.id(), watch);
    return true;
  }

  /** Deletes the watch {@code id}; false when there is none. */
  synchronized boolean delete(String id) {
    if (!watches.containsKey(id)) {
      return false;
    }
    send(id, null);
    watches.remove(id);
    return true;
  }

  private void send(String id, byte[] value) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(options.watchTopic(), id.getBytes(StandardCharsets.UTF_8), value);
    try {
      producer.send(record).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not store the watch change on " + options.watchTopic() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted storing a watch change", e);
    }
  }

  private TopicFollower.Reading reading() {
    return new TopicFollower.Reading() {
      private Map<TopicPartition, Long> end = Map.of();

      @Override
      public void start(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
        end = consumer.endOffsets(partitions);
      }

      @Override
      public void accept(ConsumerRecord<byte[], byte[]> r) {
        apply(r);
      }

      @Override
      public void polled(KafkaConsumer<byte[], byte[]> consumer) {
        if (!ready
            && end.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          ready = true;
          LOG.info("{} watches read from {}", watches.size(), options.watchTopic());
        }
      }
    };
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    String id = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (id == null) {
      return;
    }
    if (r.value() == null) {
      watches.remove(id);
      return;
    }
    try {
      watches.put(id, WatchTopicFormat.readWatch(r.value()));
    } catch (IllegalArgumentException e) {
      LOG.warn("skipping record {} of {}: {}", r.offset(), options.watchTopic(), e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
    producer.close(Duration.ofSeconds(5));
  }
}
