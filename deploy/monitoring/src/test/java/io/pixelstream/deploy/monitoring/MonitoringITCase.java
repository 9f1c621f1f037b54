package io.pixelstream.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.core.watch.WatchTopicFormat;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import io.pixelstream.query.WatchOptions;
import io.pixelstream.trainer.cli.TrainerCli;
import io.pixelstream.trainer.metrics.TrainerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files against the real thing: {@code promtool} checks the alert rules and the
 * config; then a running stack (broker, the job with Flink's Prometheus reporter, the query API,
 * the trainer's exporter after a tiny real training) is scraped by a real Prometheus loaded with
 * the alert rules. Every metric the dashboard and the rules name must be exported by some part,
 * every target must be up, and every dashboard query must be accepted by Prometheus.
 */
class MonitoringITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC = Pattern.compile("\\b((?:flink|pixelstream)_[A-Za-z0-9_]+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The module folder: the monitoring files sit beside the pom. */
  private static final Path HERE = Path.of("").toAbsolutePath();

  @Test
  void promtoolAcceptsTheRulesAndTheConfig() throws Exception {
    assertThat(run("promtool", "check", "rules", HERE.resolve("alerts.yml").toString()))
        .contains("SUCCESS: 7 rules found");
    assertThat(run("promtool", "check", "config", HERE.resolve("prometheus.yml").toString()))
        .contains("is valid prometheus config file syntax");
  }

  @Test
  void everyMetricTheDashboardAndRulesNameIsExportedAndScraped(@TempDir Path work)
      throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(
        bootstrap,
        Map.of(
            "images",
            1,
            "images.dlq",
            1,
            "images.watches",
            1,
            "images.matches",
            1,
            "images.fresh",
            1),
        Duration.ofSeconds(30));
    Path registryDir = work.resolve("registry");
    String trained =
        trainer(
            "schedule",
            "--registry",
            registryDir.toString(),
            "--times",
            "1",
            "--version",
            "tiny-1",
            "--report",
            "false",
            "--train-limit",
            "600",
            "--eval-limit",
            "300",
            "--max-batches",
            "3",
            "--epochs",
            "1",
            "--batch-size",
            "64",
            "--seeds",
            "2",
            "--widths",
            "8,16",
            "--embedding-dim",
            "16");
    assertThat(trained).contains("promoted tiny-1");
    ModelRegistry registry = new ModelRegistry(registryDir);
    int flinkPort = freePort();
    int trainerPort = freePort();
    int promPort = freePort();

    Configuration conf = new Configuration();
    conf.set(IngestOptions.BOOTSTRAP_SERVERS, bootstrap);
    conf.set(IngestOptions.MODEL_REGISTRY, registryDir.toString());
    conf.set(IngestOptions.INDEX_ROOT, work.resolve("index").toString());
    conf.set(IngestOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
    conf.set(IngestOptions.PARALLELISM, 1);
    conf.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
    conf.set(IngestOptions.DEVICE, "cpu");
    conf.set(IngestOptions.WATCH_ENABLED, true);
    conf.set(IngestOptions.FRESH_TOPIC, "images.fresh"); // as the local stack runs
    conf.set(IngestOptions.FRESH_MAX_LAG, Duration.ofMinutes(1)); // a slow first batch counts too
    IngestEnvironment.reportToPrometheus(conf, Integer.toString(flinkPort));
    JobClient job = IngestEnvironment.executeAsync(conf, "monitoring-it");

    QueryOptions options =
        new QueryOptions(
                0,
                null,
                registryDir,
                work.resolve("index"),
                1 << 20,
                100,
                40,
                4,
                1,
                100,
                ApiAccess.LOCAL,
                QueryOptions.Embedding.DEFAULT)
            .withWatches(WatchOptions.on(bootstrap).withFreshTopic("images.fresh"));
    Process prometheus = null;
    try (ImageProducer watches = new ImageProducer(bootstrap, "images.watches")) {
      Watch everything = new Watch("all", "every image", png(images(), 0), null, 0.0, null, 1L);
      watches.sendRaw(
          "all".getBytes(StandardCharsets.UTF_8),
          WatchTopicFormat.write(everything),
          new RecordHeaders());
    }
    try (ImageProducer producer = new ImageProducer(bootstrap, "images");
        QueryService service = QueryService.open(options);
        QueryServer server = QueryServer.start(options, service);
        TrainerMetrics trainerMetrics = new TrainerMetrics(registry)) {
      trainerMetrics.serve("127.0.0.1", trainerPort);
      LabelledImages images = images();
      for (int i = 0; i < images.size(); i++) {
        producer.send("m/" + i, png(images, i), images.labels()[i]);
      }
      producer.send("m/bad", new byte[] {1, 2, 3}, null);
      producer.flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (service.documents() < images.size() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(service.documents()).isEqualTo(images.size());
      int queryPort = server.port();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(uri(queryPort, "/v1/search?k=5"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png(images, i)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(get(queryPort, "/v1/images/m%2F" + i + "/similar?k=5").statusCode())
            .isEqualTo(200);
      }

      // every name in the dashboard and the rules is exported by some part of the stack
      Set<String> exported = new TreeSet<>();
      for (int port : new int[] {flinkPort, queryPort, trainerPort}) {
        HttpResponse<String> metrics = get(port, "/metrics");
        assertThat(metrics.statusCode()).as("/metrics on %d", port).isEqualTo(200);
        metrics
            .body()
            .lines()
            .filter(l -> !l.startsWith("#") && !l.isBlank())
            .forEach(
                l -> {
                  Matcher m = METRIC.matcher(l);
                  if (m.lookingAt()) {
                    exported.add(m.group(1));
                  }
                });
      }
      List<String> dashboardQueries = dashboardQueries();
      assertThat(dashboardQueries).hasSizeGreaterThan(20);
      Set<String> named = new TreeSet<>();
      dashboardQueries.forEach(q -> named.addAll(metricNames(q)));
      named.addAll(metricNames(Files.readString(HERE.resolve("alerts.yml"))));
      assertThat(named).hasSizeGreaterThan(15);
      assertThat(exported).containsAll(named);

      // a real Prometheus scrapes all three and loads the rules
      Path config = work.resolve("prometheus.yml");
      Files.writeString(
          config,
          Files.readString(HERE.resolve("prometheus.yml"))
              .replace("127.0.0.1:9249", "127.0.0.1:" + flinkPort)
              .replace("127.0.0.1:8080", "127.0.0.1:" + queryPort)
              .replace("127.0.0.1:9250", "127.0.0.1:" + trainerPort)
              .replace("scrape_interval: 5s", "scrape_interval: 1s")
              .replace("- alerts.yml", "- " + HERE.resolve("alerts.yml")));
      prometheus =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + work.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("prometheus.log").toFile())
              .start();
      awaitTargetsUp(promPort, 3, Duration.ofSeconds(60));
      JsonNode rules = JSON.readTree(get(promPort, "/api/v1/rules").body());
      List<String> alerts = new ArrayList<>();
      rules.at("/data/groups/0/rules").forEach(r -> alerts.add(r.get("name").asText()));
      assertThat(alerts)
          .containsExactlyInAnyOrder(
              "IngestStalled",
              "ConsumerLagGrowing",
              "FreshnessP99AboveTarget",
              "MatchLatencyP99AboveTarget",
              "QueryP99AboveTarget",
              "DeadLettersRising",
              "ModelRejected");
      for (String q : dashboardQueries) {
        HttpResponse<String> r =
            get(promPort, "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as("query %s: %s", q, r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("success");
      }
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
      job.cancel().get();
      try {
        job.getJobExecutionResult().get(); // the shard closes before the temporary folder goes
      } catch (ExecutionException cancelled) {
        // the expected end
      }
    }
  }

  private static List<String> dashboardQueries() throws IOException {
    JsonNode dashboard = JSON.readTree(HERE.resolve("grafana-dashboard.json").toFile());
    List<String> out = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(p -> p.get("targets").forEach(t -> out.add(t.get("expr").asText())));
    return out;
  }

  /** Metric names in a PromQL text (label values in quotes are left out). */
  private static Set<String> metricNames(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(promql.replaceAll("\"[^\"]*\"", "\"\""));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static void awaitTargetsUp(int port, int targets, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = get(port, "/api/v1/targets").body();
        JsonNode active = JSON.readTree(last).at("/data/activeTargets");
        int up = 0;
        for (JsonNode t : active) {
          up += "up".equals(t.get("health").asText()) ? 1 : 0;
        }
        if (up == targets) {
          return;
        }
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not every target is up: " + last);
  }

  private static String trainer(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    TrainerCli.run(args[0], rest, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static LabelledImages images() throws IOException {
    return IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, 200);
  }

  private static byte[] png(LabelledImages images, int i) {
    return ImageEncoding.png(images.pixels()[i], 1, 28, 28);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
