package io.pixelstream.deploy.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real standalone Flink session cluster: a job manager and a task manager,
 * each its own JVM on Flink's Maven jars only (none of ours), the job submitted with Flink's CLI as
 * an operator would ({@code flink run}). It ingests Fashion-MNIST images from a real broker
 * (bounded, so the run ends) and the test reads the committed index back.
 */
class FlinkSessionClusterITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Path HERE = Path.of("").toAbsolutePath();
  private static final int IMAGES = 300;

  @Test
  void theShadedJobJarIndexesImagesOnASessionCluster(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
    ModelArtifact model =
        InitModelCommand.create(
            work.resolve("model"), "session-it", 42, 10, 64, 500, IdxReader.FASHION_MNIST_DIR);
    LabelledImages images = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, IMAGES);
    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      for (int i = 0; i < IMAGES; i++) {
        producer.send(
            "s/" + i, ImageEncoding.png(images.pixels()[i], 1, 28, 28), images.labels()[i]);
      }
      producer.flush();
    }

    String classpath = Files.readString(HERE.resolve("target/flink-session.classpath")).trim();
    Path jobJar = jobJar();
    int restPort = freePort();
    Path conf = Files.createDirectories(work.resolve("conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        Files.readString(HERE.resolve("conf/config.yaml"))
            .replace("jobmanager.rpc.port: 6123", "jobmanager.rpc.port: " + freePort())
            .replace("rest.port: 8081", "rest.port: " + restPort)
            // no Prometheus reporter: its fixed port range may be taken on a CI machine
            .replaceAll("(?m)^metrics\\.reporter\\.prom\\..*$", ""));
    Files.copy(HERE.resolve("conf/log4j.properties"), conf.resolve("log4j.properties"));

    List<Process> cluster = new ArrayList<>();
    try {
      cluster.add(
          start(
              work,
              "jobmanager",
              classpath,
              conf,
              "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
              "--configDir",
              conf.toString()));
      cluster.add(
          start(
              work,
              "taskmanager",
              classpath,
              conf,
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
              "--configDir",
              conf.toString()));
      awaitSlots(restPort, 2, Duration.ofSeconds(120), work);

      // flink run: attached, so the CLI returns when the bounded job has finished
      Process run =
          start(
              work,
              "flink-run",
              classpath,
              conf,
              "org.apache.flink.client.cli.CliFrontend",
              "run",
              jobJar.toString(),
              "--kafka.bootstrap-servers",
              bootstrap,
              "--kafka.bounded",
              "true",
              "--model.dir",
              work.resolve("model").toString(),
              "--index.root",
              work.resolve("index").toString(),
              "--job.checkpoint-dir",
              work.resolve("checkpoints").toString(),
              "--job.parallelism",
              "2",
              "--embed.device",
              "cpu");
      assertThat(run.waitFor(300, TimeUnit.SECONDS)).as("flink run finished").isTrue();
      assertThat(run.exitValue())
          .as("flink run: %s", Files.readString(work.resolve("flink-run.log")))
          .isZero();
    } finally {
      for (Process p : cluster) {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
      }
    }

    try (LiveIndex index = LiveIndex.open(work.resolve("index"), model.version())) {
      IndexSearcher s = index.acquire();
      try {
        assertThat(index.shards()).hasSize(2);
        assertThat(s.getIndexReader().numDocs()).isEqualTo(IMAGES);
      } finally {
        index.release(s);
      }
    }
  }

  /** The shaded job jar the flink-jobs module built. */
  private static Path jobJar() throws IOException {
    try (var files = Files.list(HERE.resolve("../../flink-jobs/target"))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-job.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("build flink-jobs first (mvn package)"))
          .toAbsolutePath()
          .normalize();
    }
  }

  /** A JVM on the cluster classpath, its output in {@code <work>/<name>.log}. */
  private static Process start(
      Path work, String name, String classpath, Path conf, String main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the task manager's heap = framework heap + task heap of conf/config.yaml
    command.add(name.equals("taskmanager") ? "-Xmx1152m" : "-Xmx512m");
    // the module openings Flink needs on Java 17, as deploy/local/java.sh passes them
    command.addAll(Files.readAllLines(HERE.resolve("../local/jvm-opens.txt")));
    command.add("-Dai.djl.offline=true");
    command.add("-Dai.djl.pytorch.num_threads=1");
    command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties"));
    command.add("-cp");
    command.add(classpath);
    command.add(main);
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(name + ".log").toFile());
    pb.environment().put("FLINK_CONF_DIR", conf.toString());
    String djlCache = System.getenv("DJL_CACHE_DIR");
    if (djlCache != null) {
      pb.environment().put("DJL_CACHE_DIR", djlCache);
    }
    return pb.start();
  }

  private static void awaitSlots(int restPort, int slots, Duration timeout, Path work)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/overview"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.body();
        JsonNode o = json.readTree(last);
        if (r.statusCode() == 200 && o.path("slots-total").asInt() >= slots) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "no task manager with "
            + slots
            + " slots: "
            + last
            + "\njobmanager: "
            + tail(work.resolve("jobmanager.log"))
            + "\ntaskmanager: "
            + tail(work.resolve("taskmanager.log")));
  }

  private static String tail(Path log) throws IOException {
    String s = Files.exists(log) ? Files.readString(log) : "";
    return s.substring(Math.max(0, s.length() - 3000));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
