package io.pixelstream.jobs.ingest;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker crashes (SIGKILL) mid-stream while the job indexes and the producer keeps
 * sending, and comes back on the same port and data: every produced image ends up indexed exactly
 * once, nothing dead-lettered, nothing lost. Prints produced / indexed / dead-lettered / lost.
 */
class BrokerCrashITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final int TOTAL = 3000;

  @Test
  void brokerCrashMidStreamLosesAndDuplicatesNothing(@TempDir Path work) throws Exception {
    // the same broker instance restarts on the port it picked first
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
      ModelArtifact model = IngestFixtures.model(work.resolve("model"));
      LabelledImages images = IngestFixtures.testImages(TOTAL);
      Configuration conf =
          IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
      Path index = work.resolve("index");

      JobClient job = IngestFixtures.start(conf, null);
      long down;
      try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
        IngestFixtures.produce(producer, images, 0, 1000);
        producer.flush();
        int before = CommittedIndex.await(index, model.version(), 500, Duration.ofSeconds(120));

        long crashedAt = System.nanoTime();
        broker.kill();
        // back after 3 s, from another thread: while it is away the producer's sends wait for
        // metadata (they block this thread) or sit in its buffer, and are retried
        CompletableFuture<Void> restart =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    Thread.sleep(3000);
                    broker.start();
                  } catch (Exception e) {
                    throw new IllegalStateException("broker did not restart", e);
                  }
                });
        IngestFixtures.produce(producer, images, 1000, 2000);
        restart.get(120, TimeUnit.SECONDS);
        down = (System.nanoTime() - crashedAt) / 1_000_000;
        IngestFixtures.produce(producer, images, 2000, TOTAL);
        producer.flush();
        System.out.printf(
            "broker crash: %d images committed before, broker away %d ms%n", before, down);

        CommittedIndex.await(index, model.version(), TOTAL, Duration.ofSeconds(180));
        Thread.sleep(1500); // a few more checkpoints: a replayed duplicate would show now
      } finally {
        IngestFixtures.cancel(job);
      }

      FaultTally.count("broker crash", index, model.version(), bootstrap, TOTAL, 0).printAndCheck();
    }
  }
}
