package io.pixelstream.jobs.ingest;

import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.WatchTopicFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The match sink's writer (see {@link MatchSink}): sends each event as it comes (key = watch id),
 * flushes before every checkpoint barrier, and records per partition how far its writes reached.
 * Restored, it first reads the topic from the checkpoint's offsets to its end: those events were
 * written after the checkpoint, the replay will produce them again, and they are skipped once each.
 * A send that fails fails the flush, so the job restarts from its checkpoint and nothing is lost.
 */
final class MatchSinkWriter implements StatefulSinkWriter<MatchEvent, MatchSinkState> {

  private static final Logger LOG = LoggerFactory.getLogger(MatchSinkWriter.class);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  /** Next offset per partition after this writer's acknowledged sends (or the start's end). */
  private final Map<Integer, Long> offsets = new HashMap<>();

  /** Identities read back after a restore that the replay has not produced yet. */
  private final Set<String> pending = new HashSet<>();

  private final Counter replayed;
  private volatile Exception failure;

  MatchSinkWriter(IngestSettings settings, MatchSinkState restored, MetricGroup metrics) {
    this.topic = settings.matchTopic();
    this.replayed = IngestMetrics.group(metrics).counter(IngestMetrics.MATCHES_REPLAYED);
    Properties common = settings.kafkaClient().asProperties();
    common.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(common))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, KAFKA_TIMEOUT).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
      if (restored != null) {
        pending.addAll(restored.pending());
        readBack(consumer, restored.offsets(), end);
      }
      end.forEach((tp, offset) -> offsets.put(tp.partition(), offset));
    }
    Properties p = new Properties();
    p.putAll(common);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    producer = new KafkaProducer<>(p);
  }

  private static Properties consumerProps(Properties common) {
    Properties p = new Properties();
    p.putAll(common);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return p;
  }

  /** Adds the identities of the events in [checkpoint offset, end) of each partition. */
  private void readBack(
      KafkaConsumer<byte[], byte[]> consumer,
      Map<Integer, Long> from,
      Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> start = new HashMap<>();
    end.forEach(
        (tp, last) -> {
          long first = from.getOrDefault(tp.partition(), 0L);
          if (first < last) {
            start.put(tp, first);
          }
        });
    if (start.isEmpty()) {
      return;
    }
    consumer.assign(start.keySet());
    start.forEach(consumer::seek);
    Set<TopicPartition> open = new HashSet<>(start.keySet());
    long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
    int read = 0;
    while (!open.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not read back " + topic + " " + open + " within " + KAFKA_TIMEOUT);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < end.get(tp)) {
          pending.add(WatchTopicFormat.readMatch(r.value()).identity());
          read++;
        }
      }
      open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
    }
    LOG.info(
        "restored: {} match events were written after the checkpoint; the replay skips them", read);
  }

  @Override
  public void write(MatchEvent event, Context context) throws IOException {
    checkFailure();
    if (pending.remove(event.identity())) {
      replayed.inc();
      return;
    }
    producer.send(
        new ProducerRecord<>(
            topic, event.watchId().getBytes(StandardCharsets.UTF_8), WatchTopicFormat.write(event)),
        (meta, e) -> {
          if (e != null) {
            failure = e;
          } else {
            synchronized (offsets) {
              offsets.merge(meta.partition(), meta.offset() + 1, Math::max);
            }
          }
        });
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    producer.flush();
    checkFailure();
  }

  private void checkFailure() throws IOException {
    Exception e = failure;
    if (e != null) {
      throw new IOException("writing match events to " + topic + " failed", e);
    }
  }

  @Override
  public List<MatchSinkState> snapshotState(long checkpointId) {
    synchronized (offsets) {
      return List.of(new MatchSinkState(offsets, pending));
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
