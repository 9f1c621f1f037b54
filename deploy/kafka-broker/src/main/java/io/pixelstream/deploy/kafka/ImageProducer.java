package io.pixelstream.deploy.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces images to the input topic the way any client would (key = id, value = image bytes,
 * optional {@code label} header) and checks that every send succeeded: {@link #flush()} fails if
 * any record was not acknowledged, so nothing is lost silently.
 */
public final class ImageProducer implements AutoCloseable {

  /** Kafka's own default {@code max.request.size}, 1 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

  public ImageProducer(String bootstrapServers, String topic) {
    this(bootstrapServers, topic, DEFAULT_MAX_REQUEST_BYTES);
  }

  /**
   * A producer for records up to {@code maxRequestBytes} (Kafka's default is 1 MB; the broker's
   * {@code message.max.bytes} must allow as much).
   */
  public ImageProducer(String bootstrapServers, String topic, int maxRequestBytes) {
    this(bootstrapServers, topic, maxRequestBytes, new Properties());
  }

  /**
   * A producer with further client settings ({@code security.protocol}, {@code sasl.*}, {@code
   * ssl.*}, ...), applied over this class's own but under {@code bootstrapServers}.
   */
  public ImageProducer(
      String bootstrapServers, String topic, int maxRequestBytes, Properties clientSettings) {
    Properties p = new Properties();
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes));
    // the buffer must hold a whole record: twice the largest, at least Kafka's 32 MB default
    p.put(
        ProducerConfig.BUFFER_MEMORY_CONFIG,
        Long.toString(Math.max(32L << 20, 2L * maxRequestBytes)));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.putAll(clientSettings);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.producer = new KafkaProducer<>(p);
    this.topic = topic;
  }

  /** Sends an image; {@code label} may be null. */
  public void send(String id, byte[] image, Integer label) {
    RecordHeaders headers = new RecordHeaders();
    if (label != null) {
      headers.add("label", Integer.toString(label).getBytes(StandardCharsets.UTF_8));
    }
    sendRaw(id == null ? null : id.getBytes(StandardCharsets.UTF_8), image, headers);
  }

  /** Sends a delete for {@code id} (a record with a null value). */
  public void tombstone(String id) {
    sendRaw(id.getBytes(StandardCharsets.UTF_8), null, new RecordHeaders());
  }

  /** Sends any key, value and headers, for tests of bad input. */
  public void sendRaw(byte[] key, byte[] value, RecordHeaders headers) {
    inFlight.add(producer.send(new ProducerRecord<>(topic, null, key, value, headers)));
    if (inFlight.size() >= 10_000) {
      flush();
    }
  }

  /** Waits for every record sent so far and fails if any was not acknowledged. */
  public void flush() {
    producer.flush();
    try {
      for (Future<RecordMetadata> f : inFlight) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a record was not acknowledged: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for acknowledgements", e);
    }
    inFlight.clear();
  }

  @Override
  public void close() {
    try {
      flush();
    } finally {
      producer.close();
    }
  }
}
