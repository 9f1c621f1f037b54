package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.lucene.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real broker and a MiniCluster: 2,000 Fashion-MNIST test images, 20 bad
 * records and 10 tombstones in; the index and the dead-letter topic are checked record by record.
 */
class IngestPipelineITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final int IMAGES = 2000;

  @Test
  void indexesGoodImagesDeadLettersBadOnesAndAppliesDeletes(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(IMAGES);

    Map<String, String> expectedErrors = new HashMap<>(); // key -> reason ("<null>" for no key)
    List<String> tombstoned = new java.util.ArrayList<>();
    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      IngestFixtures.produce(producer, images, 0, IMAGES);
      expectedErrors.putAll(BadRecords.produce(producer, images));
      for (int i = 0; i < 10; i++) {
        String id = IngestFixtures.id(i * 200 + 7);
        tombstoned.add(id);
        producer.tombstone(id);
      }
      producer.flush();
    }
    assertThat(expectedErrors).hasSize(20);

    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, true);
    conf.set(IngestOptions.MAX_IMAGE_BYTES, 64 * 1024);
    IngestEnvironment.executeAsync(conf, "ingest-it").getJobExecutionResult().get();

    try (CommittedIndex index = new CommittedIndex(work.resolve("index"), model.version())) {
      assertThat(index.shards()).isEqualTo(2);
      Map<String, List<Document>> byId = index.documentsById();
      assertThat(index.numDocs()).isEqualTo(IMAGES - tombstoned.size());
      for (int i = 0; i < IMAGES; i++) {
        String id = IngestFixtures.id(i);
        if (tombstoned.contains(id)) {
          assertThat(byId).as("deleted %s", id).doesNotContainKey(id);
          continue;
        }
        assertThat(byId.get(id)).as("documents for %s", id).hasSize(1);
        Document doc = byId.get(id).get(0);
        assertThat(doc.getField(IndexFields.LABEL).numericValue().intValue())
            .isEqualTo(images.labels()[i]);
        assertThat(doc.getField(IndexFields.CLUSTER).numericValue().intValue())
            .isBetween(0, IngestFixtures.K - 1);
        assertThat(doc.get(IndexFields.MODEL_VERSION)).isEqualTo("it-model");
        assertThat(doc.getBinaryValue(IndexFields.IMAGE).bytes).isNotEmpty();
      }
      assertThat(byId.keySet()).allMatch(id -> id.startsWith("fmnist:t10k/"));

      float[][] expected = embed(model, images);
      int found = 0;
      for (int i = 0; i < IMAGES; i++) {
        String id = IngestFixtures.id(i);
        if (tombstoned.contains(id)) {
          continue;
        }
        float[] indexed = index.vector(id);
        assertThat(indexed).as("vector of %s", id).containsExactly(expected[i], within(1e-4f));
        if (index.knn(indexed, 5, 50).contains(id)) {
          found++;
        }
      }
      // HNSW is approximate: a few self-queries may miss; far more means a broken graph or field.
      double selfRecall = (double) found / (IMAGES - tombstoned.size());
      assertThat(selfRecall).as("HNSW self-recall@5").isGreaterThanOrEqualTo(0.99);
    }

    BadRecords.assertDeadLettered(bootstrap, "images.dlq", expectedErrors);
  }

  /** The embeddings of {@code images} computed outside the pipeline, for comparison. */
  private static float[][] embed(ModelArtifact model, LabelledImages images) {
    float[][] inputs =
        model
            .manifest()
            .normalization()
            .applyAll(images.pixels(), model.manifest().input().channels());
    try (ImageEncoder encoder = ImageEncoder.open(model, ImageEncoder.DeviceChoice.CPU)) {
      return encoder.embedAll(inputs, 256);
    }
  }
}
