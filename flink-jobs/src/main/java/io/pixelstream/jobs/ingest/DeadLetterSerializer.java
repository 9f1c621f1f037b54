package io.pixelstream.jobs.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a refused record to the dead-letter topic: the original key, value and headers, plus
 * {@code error} (the reason), {@code dlq.omitted} when {@link DeadLetter#of} had to shrink it, and
 * {@code source.topic}, {@code source.partition}, {@code source.offset} (where it came from).
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

  public static final String ERROR_HEADER = "error";

  /** Set when the record was too large for the topic: what was left out. */
  public static final String OMITTED_HEADER = "dlq.omitted";

  private final String topic;

  public DeadLetterSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    KafkaImageRecord r = letter.record;
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < r.headerKeys.length; i++) {
      headers.add(r.headerKeys[i], r.headerValues[i]);
    }
    headers.add(ERROR_HEADER, utf8(letter.error));
    if (letter.omitted != null) {
      headers.add(OMITTED_HEADER, utf8(letter.omitted));
    }
    headers.add("source.topic", utf8(r.topic));
    headers.add("source.partition", utf8(Integer.toString(r.partition)));
    headers.add("source.offset", utf8(Long.toString(r.offset)));
    return new ProducerRecord<>(topic, null, r.timestamp, r.key, r.value, headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
