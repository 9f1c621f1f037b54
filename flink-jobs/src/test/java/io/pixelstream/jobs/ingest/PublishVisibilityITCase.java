package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.lucene.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Visibility does not wait for checkpoints: with checkpoints ten minutes apart, the shards publish
 * every image within seconds (commits without fsyncs), and a job restarted with no checkpoint to
 * restore replays the topic over those commits and ends with every image once, deletes applied.
 */
class PublishVisibilityITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final int IMAGES = 300;

  @Test
  void imagesAreSearchableBeforeAnyCheckpointAndAReplayOverThemDuplicatesNothing(@TempDir Path work)
      throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(IMAGES + 10);
    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
    conf.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofMinutes(10));
    conf.set(IngestOptions.PUBLISH_INTERVAL, Duration.ofMillis(100));
    Path index = work.resolve("index");

    JobClient job = IngestFixtures.start(conf, null);
    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      IngestFixtures.produce(producer, images, 0, IMAGES);
      assertThat(CommittedIndex.await(index, model.version(), IMAGES, Duration.ofSeconds(90)))
          .isEqualTo(IMAGES);
      IndexLayout layout = new IndexLayout(index);
      for (int shard = 0; shard < 2; shard++) {
        assertThat(ShardWriter.lastCommitData(layout.shardDir(model.version(), shard)))
            .as("no checkpoint yet: shard %s holds published commits only", shard)
            .containsEntry(IndexFields.COMMIT_DURABLE, "false");
      }
      IngestFixtures.cancel(job);

      // no checkpoint to restore: the new job reads the topic from the start
      job = IngestFixtures.start(conf, null);
      producer.tombstone(IngestFixtures.id(7));
      IngestFixtures.produce(producer, images, IMAGES, IMAGES + 10);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Map<String, List<Document>> byId = Map.of();
      while (System.nanoTime() < deadline) {
        try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
          byId = committed.documentsById();
        }
        if (byId.size() == IMAGES + 9 && !byId.containsKey(IngestFixtures.id(7))) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(byId).hasSize(IMAGES + 9).doesNotContainKey(IngestFixtures.id(7));
      byId.forEach((id, docs) -> assertThat(docs).as(id).hasSize(1));
    } finally {
      IngestFixtures.cancel(job);
    }
  }
}
