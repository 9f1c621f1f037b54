package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index lives on a 64 MB tmpfs ({@link SmallDisk}) that fills up mid-stream: the job fails on
 * "No space left on device", restarts from its last checkpoint and keeps failing while the disk is
 * full, loses nothing, and once the space is freed indexes everything exactly once, deletes
 * applied. Prints produced / indexed / dead-lettered / lost / duplicated, the job's failures and
 * the time from freeing the disk to all committed.
 */
class IndexDiskFullITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FIRST = 1000;
  private static final int TOTAL = 2000;
  private static final int DELETES = 10;

  @Test
  void fullIndexDiskStallsTheJobWithoutLossAndItCatchesUpWhenFreed(
      @TempDir Path work, @InjectClusterRESTAddress URI rest) throws Exception {
    SmallDisk disk;
    try {
      disk = SmallDisk.mount(work.resolve("disk"), 64);
    } catch (IOException e) {
      Assumptions.abort(e.getMessage()); // no unprivileged namespaces on this machine
      return;
    }
    try (disk) {
      String bootstrap = KAFKA.bootstrapServers();
      KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
      ModelArtifact model = IngestFixtures.model(work.resolve("model"));
      LabelledImages images = IngestFixtures.testImages(TOTAL);
      Path index = disk.root().resolve("index");
      Configuration conf =
          IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
      conf.set(IngestOptions.INDEX_ROOT, index.toString());
      HttpClient http = HttpClient.newHttpClient();

      JobClient job = IngestFixtures.start(conf, null);
      try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
        IngestFixtures.produce(producer, images, 0, FIRST);
        CommittedIndex.await(index, model.version(), FIRST, Duration.ofSeconds(120));

        long ballast = disk.fill();
        IngestFixtures.produce(producer, images, FIRST, TOTAL);
        for (int i = 0; i < DELETES; i++) {
          producer.tombstone(IngestFixtures.id(i * 100));
        }
        producer.flush();
        String failure = awaitFailure(http, rest, job, Duration.ofSeconds(90));
        Thread.sleep(3000); // full a while longer: failing again is fine, losing is not
        int committedWhileFull = committedCount(index, model);

        disk.free();
        long freedAt = System.nanoTime();
        CommittedIndex.await(index, model.version(), TOTAL - DELETES, Duration.ofSeconds(180));
        long recoveredMs = (System.nanoTime() - freedAt) / 1_000_000;
        awaitDeletes(index, model, Duration.ofSeconds(30));
        Thread.sleep(1500); // a few more checkpoints: a replayed duplicate would show now
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        System.out.printf(
            "disk full: %d MB ballast filled the 64 MB index disk; the job failed %d times (%s);"
                + " %d committed while full; all committed %d ms after the disk was freed%n",
            ballast >> 20,
            failures(http, rest, job).size(),
            failure,
            committedWhileFull,
            recoveredMs);
      } finally {
        IngestFixtures.cancel(job);
      }

      FaultTally.count("disk full", index, model.version(), bootstrap, TOTAL, DELETES)
          .printAndCheck();
    }
  }

  /** Waits for the job's first failure, which must be the full disk; returns that line. */
  private static String awaitFailure(HttpClient http, URI rest, JobClient job, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonNode> failures = failures(http, rest, job);
      if (!failures.isEmpty()) {
        String trace = failures.get(0).path("stacktrace").asText();
        return trace
            .lines()
            .filter(line -> line.contains("No space left on device"))
            .findFirst()
            .map(String::strip)
            .orElseThrow(() -> new AssertionError("the job failed for another reason:\n" + trace));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the job did not fail within " + timeout + " of the disk filling");
  }

  /** The job's exception history from Flink's REST API: one entry per failure and restart. */
  private static List<JsonNode> failures(HttpClient http, URI rest, JobClient job)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(rest.resolve("/jobs/" + job.getJobID() + "/exceptions")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("exceptions: %s", r.body()).isEqualTo(200);
    List<JsonNode> out = new java.util.ArrayList<>();
    JSON.readTree(r.body()).path("exceptionHistory").path("entries").forEach(out::add);
    return out;
  }

  private static int committedCount(Path index, ModelArtifact model) throws IOException {
    try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
      return committed.numDocs();
    }
  }

  private static void awaitDeletes(Path index, ModelArtifact model, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
        if (committed.vector(IngestFixtures.id((DELETES - 1) * 100)) == null) {
          return;
        }
      }
      Thread.sleep(100);
    }
  }
}
