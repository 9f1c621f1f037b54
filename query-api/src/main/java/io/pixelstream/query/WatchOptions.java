package io.pixelstream.query;

import io.pixelstream.core.ingest.KafkaClientSettings;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The API's Kafka: where it keeps watches and reads match events (the brokers and topics the ingest
 * job uses with {@code watch.enabled}) and, with a fresh topic, the images the job embedded but has
 * not published yet ({@code kafka.fresh-topic}).
 *
 * @param bootstrapServers the brokers ({@code --kafka})
 * @param client client settings from {@code --kafka-properties} (TLS, SASL), or none
 * @param watchTopic the compacted watches topic
 * @param matchTopic the match events topic
 * @param maxWatches how many watches may exist; more are refused with 409
 * @param freshTopic the job's {@code kafka.fresh-topic}, or null: images are answerable once their
 *     shard publishes them
 */
public record WatchOptions(
    String bootstrapServers,
    KafkaClientSettings client,
    String watchTopic,
    String matchTopic,
    int maxWatches,
    String freshTopic) {

  public static final String DEFAULT_WATCH_TOPIC = "images.watches";
  public static final String DEFAULT_MATCH_TOPIC = "images.matches";
  public static final int DEFAULT_MAX_WATCHES = 10_000;

  public WatchOptions {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("--kafka must name the brokers, e.g. 127.0.0.1:9092");
    }
    if (watchTopic.equals(matchTopic)) {
      throw new IllegalArgumentException("--watch-topic and --match-topic must differ");
    }
    if (freshTopic != null && (freshTopic.equals(watchTopic) || freshTopic.equals(matchTopic))) {
      throw new IllegalArgumentException(
          "--fresh-topic must differ from --watch-topic and --match-topic");
    }
    if (maxWatches < 1) {
      throw new IllegalArgumentException("--max-watches must be >= 1, got " + maxWatches);
    }
  }

  /** Without a fresh topic. */
  public WatchOptions(
      String bootstrapServers,
      KafkaClientSettings client,
      String watchTopic,
      String matchTopic,
      int maxWatches) {
    this(bootstrapServers, client, watchTopic, matchTopic, maxWatches, null);
  }

  /** These options with the images not yet published read from {@code freshTopic}. */
  public WatchOptions withFreshTopic(String freshTopic) {
    return new WatchOptions(
        bootstrapServers, client, watchTopic, matchTopic, maxWatches, freshTopic);
  }

  /** On {@code bootstrapServers} with the default topics and cap, no client settings. */
  public static WatchOptions on(String bootstrapServers) {
    return new WatchOptions(
        bootstrapServers,
        KafkaClientSettings.none(),
        DEFAULT_WATCH_TOPIC,
        DEFAULT_MATCH_TOPIC,
        DEFAULT_MAX_WATCHES);
  }

  /** The client settings with the brokers, for a producer to add its own to. */
  Properties clientProperties() {
    Properties p = client.asProperties();
    p.put("bootstrap.servers", bootstrapServers);
    return p;
  }

  /** Settings of a consumer that assigns itself partitions: bytes, no group, no commits. */
  Properties readerProperties() {
    Properties p = clientProperties();
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return p;
  }
}
