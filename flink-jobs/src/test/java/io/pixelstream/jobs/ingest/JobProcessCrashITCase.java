package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job runs in its own JVM ({@link IngestJobMain}, a local MiniCluster) and is SIGKILLed in the
 * middle of an index commit: after Lucene wrote {@code pending_segments_N} and before it renamed it
 * to {@code segments_N}. The stream goes on while it is down (more images, deletes); the same
 * command started again resumes from the consumer group's committed offsets. Every produced image
 * is then indexed exactly once and the deletes are applied. Prints produced / indexed /
 * dead-lettered / lost / duplicated.
 */
class JobProcessCrashITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int FIRST = 3000;
  private static final int TOTAL = 4000;
  private static final int DELETES = 10;
  private static final int ATTEMPTS = 5;

  @Test
  void killedInsideACommitRestartsWithNothingLostOrDuplicated(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(TOTAL);
    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
    List<String> command = IngestFixtures.commandLine(conf);
    Path index = work.resolve("index");

    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      Thread trickle = IngestFixtures.trickle(producer, images, FIRST, 50, 100);

      int attempt = 0;
      Optional<String> interrupted = Optional.empty();
      int committedBefore = 0;
      while (interrupted.isEmpty() && attempt < ATTEMPTS) {
        attempt++;
        try (ChildJvm job =
            ChildJvm.start(
                work.resolve("job-" + attempt + ".log"), "1500m", IngestJobMain.class, command)) {
          CommittedIndex.await(index, model.version(), 300, Duration.ofSeconds(120));
          interrupted = killInsideCommit(job, new IndexLayout(index), model.version());
        }
        try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
          committedBefore = committed.numDocs();
        }
      }
      assertThat(interrupted)
          .as("a SIGKILL landed inside a commit within %d attempts", ATTEMPTS)
          .isPresent();
      trickle.join();

      // the stream goes on while the job is down
      IngestFixtures.produce(producer, images, FIRST, TOTAL);
      for (int i = 0; i < DELETES; i++) {
        producer.tombstone(IngestFixtures.id(i * 100));
      }
      producer.flush();

      try (ChildJvm job =
          ChildJvm.start(
              work.resolve("job-restarted.log"), "1500m", IngestJobMain.class, command)) {
        CommittedIndex.await(index, model.version(), TOTAL - DELETES, Duration.ofSeconds(180));
        Thread.sleep(2000); // a few more checkpoints: a replayed duplicate would show now
        assertThat(job.isAlive()).as("restarted job still running").isTrue();
      }
      System.out.printf(
          "job process crash: SIGKILL inside the commit that wrote %s (attempt %d), %d images"
              + " committed when killed%n",
          interrupted.get(), attempt, committedBefore);
    }

    FaultTally.count("job process crash", index, model.version(), bootstrap, TOTAL, DELETES)
        .printAndCheck();
  }

  /**
   * SIGKILLs the job once a commit is under way. Returns the pending commit file when it is still
   * there after the kill, i.e. the commit was cut short; empty when it finished first (or none
   * began within a minute).
   */
  private static Optional<String> killInsideCommit(ChildJvm job, IndexLayout layout, String version)
      throws IOException, InterruptedException {
    Optional<Path> pending = CommitWatch.awaitPending(layout, version, Duration.ofMinutes(1));
    job.kill();
    return pending
        .filter(Files::exists)
        .map(p -> p.getParent().getFileName() + "/" + p.getFileName());
  }
}
