package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.model.ModelArtifact;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The ingestion pipeline: Kafka source -> decode/validate (bad records to the dead-letter topic) ->
 * batched DJL embedding + nearest centroid -> route by id to a shard -> Lucene sink.
 *
 * <pre>{@code
 * IngestSettings settings = IngestSettings.from(configuration);
 * IngestJob.addTo(env, settings);
 * env.execute("pixelstream-ingest");
 * }</pre>
 */
public final class IngestJob {

  private IngestJob() {}

  /**
   * Adds the pipeline to {@code env}. Fails fast on a bad model artifact or an index whose shard
   * count differs from the parallelism.
   */
  public static void addTo(StreamExecutionEnvironment env, IngestSettings s) throws IOException {
    ModelArtifact artifact = s.startModel();
    if (s.backendKind() == IndexBackendKind.EMBEDDED) {
      new IndexLayout(Path.of(s.indexRoot())).checkShardCount(artifact.version(), s.parallelism());
    }

    KafkaSourceBuilder<KafkaImageRecord> source =
        KafkaSource.<KafkaImageRecord>builder()
            .setBootstrapServers(s.bootstrapServers())
            .setTopics(s.topic())
            .setGroupId(s.groupId())
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setDeserializer(new ImageRecordDeserializer())
            .setProperty("max.partition.fetch.bytes", Integer.toString(16 << 20))
            .setProperty("partition.discovery.interval.ms", "10000");
    if (s.bounded()) {
      source.setBounded(OffsetsInitializer.latest());
    }

    SingleOutputStreamOperator<ImageEvent> decoded =
        env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "kafka-images")
            .uid("kafka-images")
            .process(new DecodeFunction(s))
            .uid("decode")
            .name("decode");

    SingleOutputStreamOperator<ImageEvent> embedded =
        decoded
            .transform("embed", TypeInformation.of(ImageEvent.class), new EmbedOperator(s))
            .uid("embed");

    embedded
        .partitionCustom(IndexLayout::shardFor, e -> e.id)
        .sinkTo(new LuceneIndexSink(s))
        .uid("lucene-index")
        .name("lucene-index");

    decoded
        .getSideOutput(DecodeFunction.DEAD_LETTERS)
        .union(embedded.getSideOutput(DecodeFunction.DEAD_LETTERS))
        .sinkTo(
            KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setRecordSerializer(new DeadLetterSerializer(s.dlqTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty("max.request.size", Integer.toString(16 << 20))
                .build())
        .uid("dead-letters")
        .name("dead-letters");
  }
}
