package io.pixelstream.deploy.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Creates topics and waits until every partition has a leader: producing right after creation can
 * otherwise fail with NOT_LEADER and lose records.
 */
public final class KafkaTopics {

  private KafkaTopics() {}

  /**
   * Creates the missing topics among {@code partitionsByTopic} (replication factor 1 unless the
   * cluster needs more) and waits up to {@code timeout} for their partition leaders.
   */
  public static void ensure(
      String bootstrapServers, Map<String, Integer> partitionsByTopic, Duration timeout)
      throws InterruptedException {
    ensure(bootstrapServers, partitionsByTopic, Map.of(), timeout);
  }

  /**
   * As {@link #ensure(String, Map, Duration)}, creating each topic with its settings in {@code
   * configsByTopic}, e.g. {@code cleanup.policy=compact} (an existing topic keeps its own).
   */
  public static void ensure(
      String bootstrapServers,
      Map<String, Integer> partitionsByTopic,
      Map<String, Map<String, String>> configsByTopic,
      Duration timeout)
      throws InterruptedException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> topics = new ArrayList<>();
      partitionsByTopic.forEach(
          (name, n) ->
              topics.add(
                  new NewTopic(name, n, (short) 1)
                      .configs(configsByTopic.getOrDefault(name, Map.of()))));
      admin
          .createTopics(topics)
          .values()
          .forEach(
              (name, f) -> {
                try {
                  f.get();
                } catch (ExecutionException e) {
                  if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                        "cannot create topic " + name + ": " + e.getCause(), e);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException("interrupted creating topic " + name, e);
                }
              });
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          Map<String, TopicDescription> described =
              admin.describeTopics(partitionsByTopic.keySet()).allTopicNames().get();
          boolean ready =
              described.values().stream()
                  .flatMap(d -> d.partitions().stream())
                  .map(TopicPartitionInfo::leader)
                  .allMatch(leader -> leader != null && !leader.isEmpty());
          if (ready) {
            return;
          }
        } catch (ExecutionException notYet) {
          // metadata not propagated yet; retry until the deadline
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "topics "
                  + partitionsByTopic.keySet()
                  + " have no partition leaders after "
                  + timeout);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * Settings of a consumer of raw bytes that reads from the earliest offset in a group of its own
   * (named {@code groupPrefix} + a number), so that every reader sees the whole topic.
   */
  public static Properties readerProperties(String bootstrapServers, String groupPrefix) {
    Properties p = bytesConsumerProperties(bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  private static Properties bytesConsumerProperties(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** Records ever written to {@code topic}: the sum of its partitions' end offsets. */
  public static long recordCount(String bootstrapServers, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(bytesConsumerProperties(bootstrapServers))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }
}
