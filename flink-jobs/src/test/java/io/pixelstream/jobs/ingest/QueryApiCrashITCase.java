package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.query.QueryApiMain;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API runs in its own JVM over the index the job writes, and is SIGKILLed while the job
 * is in the middle of a commit or just as a publish lands. The job goes on undisturbed; the API
 * started again serves every image, each exactly once. Prints what was committed while it was down
 * and how long it took to answer again.
 */
class QueryApiCrashITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("http://localhost:(\\d+)/");
  private static final int TOTAL = 3000;

  @Test
  void apiKilledDuringACommitComesBackWithEveryImage(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(TOTAL);
    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
    Path index = work.resolve("index");
    List<String> api =
        List.of(
            "--model-dir",
            work.resolve("model").toString(),
            "--index-root",
            index.toString(),
            "--port",
            "0",
            "--refresh-ms",
            "100");
    HttpClient http = HttpClient.newHttpClient();

    JobClient job = IngestFixtures.start(conf, null);
    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      // 100 images a second for 30 s: still streaming (and publishing) once the API has started
      Thread trickle = IngestFixtures.trickle(producer, images, TOTAL, 10, 100);
      CommittedIndex.await(index, model.version(), 300, Duration.ofSeconds(120));

      Optional<Path> pending;
      int committedAtKill;
      try (ChildJvm first =
          ChildJvm.start(work.resolve("query-api-1.log"), "1g", QueryApiMain.class, api)) {
        int port = Integer.parseInt(first.awaitLog(LISTENING, Duration.ofSeconds(60)));
        assertThat(get(http, port, imagePath(0)).statusCode()).isEqualTo(200);
        pending =
            CommitWatch.awaitChange(
                new IndexLayout(index), model.version(), Duration.ofSeconds(60));
        first.kill();
        committedAtKill = committedCount(index, model);
      }
      assertThat(pending).as("the API was killed while the job committed or published").isPresent();

      long restartedAt = System.nanoTime();
      try (ChildJvm second =
          ChildJvm.start(work.resolve("query-api-2.log"), "1g", QueryApiMain.class, api)) {
        int port = Integer.parseInt(second.awaitLog(LISTENING, Duration.ofSeconds(60)));
        long backMs = (System.nanoTime() - restartedAt) / 1_000_000;
        trickle.join();
        CommittedIndex.await(index, model.version(), TOTAL, Duration.ofSeconds(180));
        assertThat(job.getJobStatus().get()).as("the job").isEqualTo(JobStatus.RUNNING);

        long documents = awaitDocuments(http, port, TOTAL, Duration.ofSeconds(30));
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
          HttpResponse<String> r = get(http, port, imagePath(i));
          if (r.statusCode() != 200) {
            missing.add(IngestFixtures.id(i) + " " + r.statusCode());
          }
        }
        long deadLettered = KafkaTopics.recordCount(bootstrap, "images.dlq");
        System.out.printf(
            "query API crash: SIGKILL while the job committed %s, %d images committed then;"
                + " answering again %d ms after the restart; produced %d, served %d documents,"
                + " dead-lettered %d, lost (ids not found) %d; job %s%n",
            pending.get().getFileName(),
            committedAtKill,
            backMs,
            TOTAL,
            documents,
            deadLettered,
            missing.size(),
            job.getJobStatus().get());
        assertThat(missing).as("ids the restarted API cannot find").isEmpty();
        assertThat(documents).as("documents served (each id once)").isEqualTo(TOTAL);
        assertThat(deadLettered).as("dead-lettered").isZero();
      }
    } finally {
      IngestFixtures.cancel(job);
    }
  }

  private static int committedCount(Path index, ModelArtifact model) throws Exception {
    try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
      return committed.numDocs();
    }
  }

  /** Polls {@code /v1/stats} until it counts {@code expected} documents; returns the count. */
  private static long awaitDocuments(HttpClient http, int port, long expected, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long documents = -1;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> stats = get(http, port, "/v1/stats");
      assertThat(stats.statusCode()).as("stats: %s", stats.body()).isEqualTo(200);
      documents = JSON.readTree(stats.body()).get("documents").asLong();
      if (documents >= expected) {
        return documents;
      }
      Thread.sleep(100);
    }
    return documents;
  }

  private static String imagePath(int i) {
    return "/v1/images/" + URLEncoder.encode(IngestFixtures.id(i), StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
