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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.lucene.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the running job in the middle of the stream (cancel, no savepoint), restores a new job from
 * the last retained checkpoint, and counts: every produced image is in the index exactly once, the
 * deletes are applied, nothing is lost and nothing duplicated.
 */
class IngestRecoveryITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final int FIRST = 3000;
  private static final int TOTAL = 4000;

  @Test
  void killedJobRestoresFromCheckpointWithNothingLostOrDuplicated(@TempDir Path work)
      throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(TOTAL);
    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
    Path index = work.resolve("index");

    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      // the first images trickle in, 100 per 200 ms, so the kill lands mid-stream
      Thread trickle = IngestFixtures.trickle(producer, images, FIRST, 100, 200);

      JobClient first = IngestFixtures.start(conf, null);
      int atKill = CommittedIndex.await(index, model.version(), 1000, Duration.ofSeconds(120));
      Path checkpoint = awaitCheckpoint(work.resolve("checkpoints"), Duration.ofSeconds(30));
      IngestFixtures.cancel(first);
      assertThat(atKill).as("killed mid-stream").isLessThan(FIRST);
      trickle.join();

      // the stream goes on while the job is down: more images and deletes of indexed ones
      IngestFixtures.produce(producer, images, FIRST, TOTAL);
      for (int i = 0; i < 10; i++) {
        producer.tombstone(IngestFixtures.id(i * 100));
      }
      producer.flush();

      Path restoreFrom = latestCheckpoint(work.resolve("checkpoints")).orElse(checkpoint);
      JobClient second = IngestFixtures.start(conf, restoreFrom);
      CommittedIndex.await(index, model.version(), TOTAL - 10, Duration.ofSeconds(180));
      Thread.sleep(1500); // a few more checkpoints: a replayed duplicate would show now
      IngestFixtures.cancel(second);
      String checkpointId = restoreFrom.getFileName().toString().substring("chk-".length());
      for (Path shard : new IndexLayout(index).shardDirs(model.version())) {
        assertThat(ShardWriter.lastCommitData(shard))
            .as("shard %s was written by a job restored from %s", shard, restoreFrom)
            .containsEntry(IndexFields.COMMIT_RESTORED_CHECKPOINT, checkpointId);
      }
      System.out.printf(
          "recovery: produced %d images + 10 deletes, %d committed when killed, restored from %s%n",
          TOTAL, atKill, restoreFrom.getFileName());
    }

    try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
      Map<String, List<Document>> byId = committed.documentsById();
      int lost = 0;
      int duplicated = 0;
      for (int i = 0; i < TOTAL; i++) {
        String id = IngestFixtures.id(i);
        boolean deleted = i % 100 == 0 && i < 1000;
        List<Document> docs = byId.getOrDefault(id, List.of());
        if (deleted) {
          assertThat(docs).as("deleted %s", id).isEmpty();
        } else if (docs.isEmpty()) {
          lost++;
        } else if (docs.size() > 1) {
          duplicated++;
        } else {
          assertThat(docs.get(0).getField(IndexFields.LABEL).numericValue().intValue())
              .isEqualTo(images.labels()[i]);
        }
      }
      assertThat(lost).as("lost").isZero();
      assertThat(duplicated).as("duplicated").isZero();
      assertThat(committed.numDocs()).isEqualTo(TOTAL - 10);
      System.out.printf(
          "recovery: indexed %d, deleted 10, lost %d, duplicated %d%n",
          committed.numDocs(), lost, duplicated);
    }
  }

  static Path awaitCheckpoint(Path dir, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Path> latest = latestCheckpoint(dir);
      if (latest.isPresent()) {
        return latest.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no completed checkpoint under " + dir);
  }

  /** The newest {@code chk-N} folder with a {@code _metadata} file (a completed checkpoint). */
  static Optional<Path> latestCheckpoint(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(4))));
    }
  }
}
