package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling as the deploy guide says: the job ran with 2 shards, a model is promoted and the job
 * comes back with parallelism 3. The backfill must route every copied image by id with the new
 * count, updates and deletes of old ids must land once, and the served version's shards stay as
 * they were (no third shard appears in them).
 */
class ReshardITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(3)
              .build());

  private static final int OLD = 300;
  private static final int NEW = 40;

  @Test
  void promotionWithMoreShardsReroutesEveryIdOnce(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("reshard", 3, "reshard.dlq", 1), Duration.ofSeconds(30));
    ModelRegistry registry = IngestFixtures.registry(work, "model-a", "model-b");
    ModelArtifact a = registry.read("model-a");
    ModelArtifact b = registry.read("model-b");
    LabelledImages images = IngestFixtures.testImages(OLD + NEW + 20);
    Path indexRoot = work.resolve("index");
    IndexLayout layout = new IndexLayout(indexRoot);

    Map<String, byte[]> latest = new TreeMap<>();
    try (ImageProducer producer = new ImageProducer(bootstrap, "reshard")) {
      IngestFixtures.send(producer, images, latest, 0, OLD);
    }
    runToEnd(IngestFixtures.registryConf(bootstrap, registry, work, "reshard", 2, true));
    Map<String, Long> servedBefore = docsPerShard(layout, a.version());
    assertThat(servedBefore).hasSize(2);
    assertThat(servedBefore.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(OLD);

    // the served version keeps its count: a job with 3 subtasks may not write it
    assertThatThrownBy(
            () ->
                IngestFixtures.start(
                    IngestFixtures.registryConf(bootstrap, registry, work, "reshard", 3, true),
                    null))
        .hasMessageContaining("has 2 shards but 3");

    registry.makeCurrent(b.version(), "promote", Map.of());
    try (ImageProducer producer = new ImageProducer(bootstrap, "reshard")) {
      for (int i = 0; i < 20; i++) { // new images for old ids
        byte[] other = IngestFixtures.png(images, OLD + NEW + i);
        producer.send(IngestFixtures.id(i), other, 0);
        latest.put(IngestFixtures.id(i), other);
      }
      for (int i = OLD - 20; i < OLD; i++) { // deletes of old ids
        producer.tombstone(IngestFixtures.id(i));
        latest.remove(IngestFixtures.id(i));
      }
      IngestFixtures.send(producer, images, latest, OLD, OLD + NEW);
    }
    runToEnd(IngestFixtures.registryConf(bootstrap, registry, work, "reshard", 3, true));

    assertThat(new ServingAlias(indexRoot).read().orElseThrow().version()).isEqualTo(b.version());
    assertThat(layout.shardDirs(a.version())).hasSize(2);
    assertThat(docsPerShard(layout, a.version())).isEqualTo(servedBefore);
    List<Path> shards = layout.shardDirs(b.version());
    assertThat(shards).hasSize(3);
    for (Path shard : shards) {
      assertThat(ShardWriter.lastCommitData(shard)).containsEntry(IndexFields.COMMIT_SHARDS, "3");
    }

    try (CommittedIndex served = new CommittedIndex(indexRoot, b.version())) {
      Map<String, List<Document>> byId = served.documentsById();
      assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(latest.keySet());
      for (Map.Entry<String, List<Document>> e : byId.entrySet()) {
        assertThat(e.getValue()).as("copies of %s", e.getKey()).hasSize(1);
        Document doc = e.getValue().get(0);
        assertThat(doc.get(IndexFields.MODEL_VERSION)).isEqualTo(b.version());
        assertThat(doc.getBinaryValue(IndexFields.IMAGE).bytes)
            .as("image of %s", e.getKey())
            .isEqualTo(latest.get(e.getKey()));
      }
    }
    for (int n = 0; n < 3; n++) {
      for (String id : idsInShard(shards.get(n))) {
        assertThat(IndexLayout.shardFor(id, 3)).as("shard of %s", id).isEqualTo(n);
      }
    }
  }

  private static void runToEnd(Configuration conf) throws Exception {
    IngestFixtures.start(conf, null).getJobExecutionResult().get();
  }

  private static Map<String, Long> docsPerShard(IndexLayout layout, String version)
      throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (Path shard : layout.shardDirs(version)) {
      out.put(shard.getFileName().toString(), (long) idsInShard(shard).size());
    }
    return out;
  }

  /** The live ids of one shard's last commit. */
  private static List<String> idsInShard(Path shard) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Directory dir = FSDirectory.open(shard);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      Bits live = MultiBits.getLiveDocs(reader);
      for (int d = 0; d < reader.maxDoc(); d++) {
        if (live == null || live.get(d)) {
          ids.add(reader.storedFields().document(d).get(IndexFields.ID));
        }
      }
    }
    return ids;
  }
}
