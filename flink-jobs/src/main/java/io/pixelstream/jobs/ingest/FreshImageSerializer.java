package io.pixelstream.jobs.ingest;

import io.pixelstream.core.fresh.FreshImage;
import io.pixelstream.core.fresh.FreshImageCodec;
import io.pixelstream.core.index.CommitOffsets;
import io.pixelstream.core.index.IndexLayout;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes an embedded image or a delete to the fresh-images topic ({@code kafka.fresh-topic}), keyed
 * by id, with the shard the sink routes it to and its source position, so that the query API can
 * tell when that shard's visible commit holds it. The record's timestamp is the producer's, when it
 * is sent (the image's own timestamp travels in the record): the API measures the way from the job
 * to its searches by it.
 */
final class FreshImageSerializer implements KafkaRecordSerializationSchema<ImageEvent> {

  private final String topic;
  private final int shards;

  /**
   * @param shards the sink's parallelism ({@link IndexLayout#shardFor})
   */
  FreshImageSerializer(String topic, int shards) {
    this.topic = topic;
    this.shards = shards;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      ImageEvent e, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        null,
        e.id.getBytes(StandardCharsets.UTF_8),
        FreshImageCodec.encode(fresh(e, shards)));
  }

  static FreshImage fresh(ImageEvent e, int shards) {
    int shard = IndexLayout.shardFor(e.id, shards);
    String source = CommitOffsets.key(e.topic, e.partition);
    if (e.deleted) {
      return FreshImage.tombstone(e.id, shard, source, e.offset, e.eventTime);
    }
    return new FreshImage(
        e.id,
        false,
        e.modelVersion,
        shard,
        source,
        e.offset,
        e.eventTime,
        e.vector,
        e.cluster,
        e.label,
        e.duplicateOf,
        e.image);
  }
}
