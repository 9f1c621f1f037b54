package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.watch.MatchEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestion pipeline: Kafka source -> decode/validate (bad records to the dead-letter topic) ->
 * batched DJL embedding + nearest centroid -> route by id to a shard -> Lucene sink; with {@code
 * kafka.fresh-topic}, also every embedded image and delete to that topic for the query API; with
 * {@code watch.enabled}, also embedded images x watches (broadcast) -> match events.
 *
 * <pre>{@code
 * IngestSettings settings = IngestSettings.from(configuration);
 * IngestJob.addTo(env, settings);
 * env.execute("pixelstream-ingest");
 * }</pre>
 */
public final class IngestJob {

  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  private IngestJob() {}

  /**
   * Adds the pipeline to {@code env}. Fails fast on a bad model artifact, an index whose shard
   * count differs from the parallelism, or a Kafka that refuses the job's credentials ({@link
   * KafkaPreflight}).
   */
  public static void addTo(StreamExecutionEnvironment env, IngestSettings s) throws IOException {
    ModelArtifact artifact = s.startModel();
    if (s.backendKind() == IndexBackendKind.EMBEDDED) {
      new IndexLayout(Path.of(s.indexRoot())).checkShardCount(artifact.version(), s.parallelism());
    }

    KafkaClientSettings kafka = s.kafkaClient();
    LOG.info(kafka.describe());
    List<String> topics = new ArrayList<>(List.of(s.topic(), s.dlqTopic()));
    if (s.watchEnabled()) {
      topics.addAll(List.of(s.watchTopic(), s.matchTopic()));
    }
    if (s.freshTopic() != null) {
      topics.add(s.freshTopic());
    }
    KafkaPreflight.check(s.bootstrapServers(), kafka, topics);
    KafkaSource<KafkaImageRecord> images =
        source(
                s,
                s.topic(),
                s.groupId(),
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setProperty("partition.discovery.interval.ms", "10000")
            .build();

    SingleOutputStreamOperator<ImageEvent> decoded =
        env.fromSource(images, WatermarkStrategy.noWatermarks(), "kafka-images")
            .uid("kafka-images")
            .process(new DecodeFunction(s))
            .uid("decode")
            .name("decode");

    SingleOutputStreamOperator<ImageEvent> embedded =
        decoded
            .transform("embed", TypeInformation.of(ImageEvent.class), new EmbedOperator(s))
            .uid("embed");
    DataStream<ImageEvent> tagged =
        s.duplicateThreshold() == null
            ? embedded
            : embedded
                .process(new DuplicateTagger(s), TypeInformation.of(ImageEvent.class))
                .uid("duplicates")
                .name("duplicates");

    tagged
        .partitionCustom(IndexLayout::shardFor, e -> e.id)
        .sinkTo(new LuceneIndexSink(s))
        .uid("lucene-index")
        .name("lucene-index");
    if (s.freshTopic() != null) {
      tagged
          .filter(new FreshImageFilter(s.freshMaxLagMs()))
          .uid("fresh-filter")
          .name("fresh-filter")
          .sinkTo(
              KafkaSink.<ImageEvent>builder()
                  .setBootstrapServers(s.bootstrapServers())
                  .setRecordSerializer(new FreshImageSerializer(s.freshTopic(), s.parallelism()))
                  .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                  .setProperty("max.request.size", Integer.toString(16 << 20))
                  .setProperty("batch.size", Integer.toString(256 << 10))
                  .setKafkaProducerConfig(kafka.asProperties())
                  .build())
          .uid("fresh-images")
          .name("fresh-images");
    }

    DataStream<DeadLetter> deadLetters =
        decoded
            .getSideOutput(DecodeFunction.DEAD_LETTERS)
            .union(embedded.getSideOutput(DecodeFunction.DEAD_LETTERS));
    if (s.watchEnabled()) {
      deadLetters = deadLetters.union(addMatching(env, s, tagged));
    }
    deadLetters
        .sinkTo(
            KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setRecordSerializer(new DeadLetterSerializer(s.dlqTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty("max.request.size", Integer.toString(16 << 20))
                .setKafkaProducerConfig(kafka.asProperties())
                .build())
        .uid("dead-letters")
        .name("dead-letters");
  }

  /**
   * Matches the embedded images against the watches topic, read from its start as a broadcast
   * stream, and writes the match events; returns the watch records refused.
   */
  private static DataStream<DeadLetter> addMatching(
      StreamExecutionEnvironment env, IngestSettings s, DataStream<ImageEvent> embedded) {
    KafkaSource<KafkaImageRecord> source =
        source(s, s.watchTopic(), s.groupId() + ".watches", OffsetsInitializer.earliest()).build();
    BroadcastStream<KafkaImageRecord> watches =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-watches")
            .uid("kafka-watches")
            .setParallelism(1)
            .broadcast(MatchFunction.WATCHES);
    SingleOutputStreamOperator<MatchEvent> matches =
        embedded
            .connect(watches)
            .process(new MatchFunction(s), MatchFunction.type())
            .uid("match")
            .name("match")
            .setParallelism(1);
    matches.sinkTo(new MatchSink(s)).uid("match-events").name("match-events").setParallelism(1);
    return matches.getSideOutput(DecodeFunction.DEAD_LETTERS);
  }

  /** A source of image records (up to 16 MiB each), bounded at the topic's end when asked. */
  private static KafkaSourceBuilder<KafkaImageRecord> source(
      IngestSettings s, String topic, String groupId, OffsetsInitializer start) {
    KafkaSourceBuilder<KafkaImageRecord> source =
        KafkaSource.<KafkaImageRecord>builder()
            .setBootstrapServers(s.bootstrapServers())
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(start)
            .setDeserializer(new ImageRecordDeserializer())
            .setProperty("max.partition.fetch.bytes", Integer.toString(16 << 20))
            .setProperties(s.kafkaClient().asProperties());
    if (s.bounded()) {
      source.setBounded(OffsetsInitializer.latest());
    }
    return source;
  }
}
