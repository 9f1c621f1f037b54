package io.pixelstream.jobs.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Copies each Kafka record into a {@link KafkaImageRecord} without interpreting it, so it can never
 * fail here: validation happens downstream where a bad record goes to the dead-letter topic.
 */
public final class ImageRecordDeserializer
    implements KafkaRecordDeserializationSchema<KafkaImageRecord> {

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> in, Collector<KafkaImageRecord> out) {
    KafkaImageRecord r = new KafkaImageRecord();
    r.key = in.key();
    r.value = in.value();
    Header[] headers = in.headers().toArray();
    r.headerKeys = new String[headers.length];
    r.headerValues = new byte[headers.length][];
    for (int i = 0; i < headers.length; i++) {
      r.headerKeys[i] = headers[i].key();
      r.headerValues[i] = headers[i].value() == null ? new byte[0] : headers[i].value();
    }
    r.topic = in.topic();
    r.partition = in.partition();
    r.offset = in.offset();
    r.timestamp = in.timestamp();
    out.collect(r);
  }

  @Override
  public TypeInformation<KafkaImageRecord> getProducedType() {
    return TypeInformation.of(KafkaImageRecord.class);
  }
}
