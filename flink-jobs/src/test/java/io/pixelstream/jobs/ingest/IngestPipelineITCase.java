package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
    byte[] goodPng = ImageEncoding.png(images.pixels()[0], 1, 28, 28);

    Map<String, String> expectedErrors = new HashMap<>(); // key -> reason ("<null>" for no key)
    List<String> tombstoned = new java.util.ArrayList<>();
    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      IngestFixtures.produce(producer, images, 0, IMAGES);
      Random random = new Random(20);
      for (int i = 0; i < 4; i++) {
        byte[] junk = new byte[500];
        random.nextBytes(junk);
        junk[0] = 'x';
        bad(producer, expectedErrors, "bad-junk-" + i, junk, null, "UNSUPPORTED_FORMAT");
      }
      for (int i = 0; i < 4; i++) {
        byte[] png = ImageEncoding.png(images.pixels()[i], 1, 28, 28);
        bad(
            producer,
            expectedErrors,
            "bad-truncated-png-" + i,
            Arrays.copyOf(png, png.length / 2),
            null,
            "UNDECODABLE_IMAGE");
      }
      for (int i = 0; i < 2; i++) {
        byte[] jpeg = ImageEncoding.jpeg(TestImages.randomPixels(1, 64, 64, i), 1, 64, 64);
        bad(
            producer,
            expectedErrors,
            "bad-truncated-jpeg-" + i,
            Arrays.copyOf(jpeg, jpeg.length / 2),
            null,
            "UNDECODABLE_IMAGE");
      }
      bad(producer, expectedErrors, "has space", goodPng, null, "BAD_ID");
      bad(producer, expectedErrors, "x".repeat(300), goodPng, null, "BAD_ID");
      bad(producer, expectedErrors, null, goodPng, null, "BAD_ID");
      bad(producer, expectedErrors, "bad-label-word", goodPng, "cat", "BAD_LABEL");
      bad(producer, expectedErrors, "bad-label-negative", goodPng, "-3", "BAD_LABEL");
      bad(
          producer,
          expectedErrors,
          "bad-bomb-0",
          TestImages.pngHeaderOnly(60_000, 60_000),
          null,
          "WRONG_SIZE");
      bad(
          producer,
          expectedErrors,
          "bad-bomb-1",
          TestImages.pngHeaderOnly(5000, 3),
          null,
          "WRONG_SIZE");
      bad(
          producer,
          expectedErrors,
          "bad-tiny",
          ImageEncoding.png(new byte[16], 1, 4, 4),
          null,
          "WRONG_SIZE");
      bad(
          producer,
          expectedErrors,
          "bad-huge",
          ImageEncoding.png(TestImages.randomPixels(1, 400, 400, 9), 1, 400, 400),
          null,
          "TOO_LARGE");
      producer.sendRaw("bad id!".getBytes(StandardCharsets.UTF_8), null, new RecordHeaders());
      expectedErrors.put("bad id!", "BAD_ID");
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
    IngestSettings settings = IngestSettings.from(conf);
    StreamExecutionEnvironment env = IngestEnvironment.create(conf, settings);
    IngestJob.addTo(env, settings);
    env.execute("ingest-it");

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

    List<ConsumerRecord<byte[], byte[]>> dlq =
        IngestFixtures.readAll(bootstrap, "images.dlq", 20, Duration.ofSeconds(30));
    assertThat(dlq).hasSize(20);
    for (ConsumerRecord<byte[], byte[]> r : dlq) {
      String key = r.key() == null ? "<null>" : new String(r.key(), StandardCharsets.UTF_8);
      String error = new String(r.headers().lastHeader("error").value(), StandardCharsets.UTF_8);
      assertThat(expectedErrors).containsKey(key);
      assertThat(error).as("error of %s", key).startsWith(expectedErrors.get(key) + ": ");
      assertThat(r.headers().lastHeader("source.offset")).isNotNull();
    }
    assertThat(dlq)
        .extracting(r -> r.key() == null ? "<null>" : new String(r.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrderElementsOf(expectedErrors.keySet());
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

  private static void bad(
      ImageProducer producer,
      Map<String, String> expected,
      String id,
      byte[] value,
      String label,
      String reason) {
    RecordHeaders headers = new RecordHeaders();
    if (label != null) {
      headers.add("label", label.getBytes(StandardCharsets.UTF_8));
    }
    producer.sendRaw(id == null ? null : id.getBytes(StandardCharsets.UTF_8), value, headers);
    expected.put(id == null ? "<null>" : id, reason);
  }
}
