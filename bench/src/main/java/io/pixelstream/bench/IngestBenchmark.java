package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.cli.MergeIndexCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import io.pixelstream.jobs.ingest.IngestJob;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.jobs.ingest.IngestSettings;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Ingestion benchmark on a real broker and the job on a local MiniCluster: throughput (images/s
 * from the first produce to the last image committed, producer running flat out) and freshness
 * (produce -> visible to a reopening searcher, at a steady rate), each over several runs after a
 * warm-up. Prints a table and writes JSON.
 *
 * <pre>deploy/local/java.sh bench io.pixelstream.bench.IngestBenchmark --runs 3</pre>
 */
public final class IngestBenchmark {

  private static final String USAGE =
      """
      Usage: IngestBenchmark [--images 20000] [--rate 1000] [--steady-seconds 15] [--runs 3]
                             [--parallelism 1] [--batch-size 64] [--checkpoint-ms 500]
                             [--merge-nice 19]
                             [--out bench/results/ingest.json] [--tiny]
      """;

  /** One image in this many is followed through the query API (the probe polls each). */
  private static final int API_SAMPLE_EVERY = 50;

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args,
            Set.of(
                "images",
                "rate",
                "steady-seconds",
                "runs",
                "parallelism",
                "batch-size",
                "checkpoint-ms",
                "merge-nice",
                "out",
                "tiny"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    // Flink's Prometheus reporter starts the JVM's first JDK HTTP server, which fixes the
    // JDK's server settings before QueryServer can turn Nagle's algorithm off for the query API
    // (with it on, a GET answered in 45 ms on average here instead of 2.5 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    boolean tiny = cli.has("tiny");
    int images = cli.getInt("images", tiny ? 1000 : 20_000);
    int rate = cli.getInt("rate", tiny ? 500 : 1000);
    int steadySeconds = cli.getInt("steady-seconds", tiny ? 3 : 15);
    int warmupSeconds = tiny ? 1 : 5;
    int runs = cli.getInt("runs", tiny ? 1 : 3);
    int parallelism = cli.getInt("parallelism", 1);
    int batchSize = cli.getInt("batch-size", 64);
    long checkpointMs = cli.getLong("checkpoint-ms", 500);
    int mergeNice = cli.getInt("merge-nice", IngestOptions.MERGE_NICE.defaultValue());
    Path out = Path.of(cli.get("out", "bench/results/ingest.json"));

    Path work = Files.createTempDirectory("ingest-bench-");
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(
          bootstrap, Map.of("images", parallelism, "images.dlq", 1), Duration.ofSeconds(60));
      ModelArtifact model =
          InitModelCommand.create(
              work.resolve("model"), "bench", 42, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
      byte[][] pngs = pngs(Math.max(images, rate * (steadySeconds + warmupSeconds)));
      int[] labels = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, 10).labels();

      Configuration conf = jobConf(bootstrap, work);
      conf.set(IngestOptions.PARALLELISM, parallelism);
      conf.set(IngestOptions.BATCH_SIZE, batchSize);
      conf.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(checkpointMs));
      conf.set(IngestOptions.MERGE_NICE, mergeNice);
      int metricsPort = freePort();
      conf.setString(
          "metrics.reporter.prom.factory.class",
          "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
      conf.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
      JobClient job = startJob(conf, "ingest-benchmark");

      double[] throughput = new double[runs];
      double[] p50 = new double[runs];
      double[] p95 = new double[runs];
      double[] p99 = new double[runs];
      double[] apiP50 = new double[runs];
      double[] apiP95 = new double[runs];
      double[] apiP99 = new double[runs];
      double[] segments = new double[runs];
      Map<String, double[]> stageShare = new LinkedHashMap<>();
      JobStageTimes.STAGES.keySet().forEach(stage -> stageShare.put(stage, new double[runs]));
      QueryOptions api = apiOptions(work);
      QueryService service = null;
      QueryServer server = null;
      try (VisibilityWatcher watcher =
              new VisibilityWatcher(work.resolve("index"), model.version(), parallelism);
          ImageProducer producer = new ImageProducer(bootstrap, "images")) {
        // warm-up: job start, DJL natives, JIT
        produceFlatOut(producer, "warm/", pngs, Math.min(2000, images), labels);
        watcher.awaitVisible("warm/", Math.min(2000, images), 180_000);
        service = QueryService.open(api); // the index exists now
        server = QueryServer.start(api, service);

        for (int r = 0; r < runs; r++) {
          String prefix = "tput" + r + "/";
          Map<String, Double> before = JobStageTimes.read(metricsPort);
          long start = System.currentTimeMillis();
          produceFlatOut(producer, prefix, pngs, images, labels);
          long last = watcher.awaitVisible(prefix, images, 600_000);
          Map<String, Double> after = JobStageTimes.read(metricsPort);
          throughput[r] = images * 1000.0 / (last - start);
          StringBuilder split = new StringBuilder();
          for (String stage : JobStageTimes.STAGES.keySet()) {
            // busy time over wall time: the cores the stage kept busy
            double share = (after.get(stage) - before.get(stage)) / ((last - start) * 1e6);
            stageShare.get(stage)[r] = share;
            split.append(String.format(" %s %.2f", stage, share));
          }
          System.out.printf(
              "run %d: %d images produced->committed in %d ms = %.0f images/s; cores busy:%s%n",
              r, images, last - start, throughput[r], split);
        }
        for (int r = 0; r < runs; r++) {
          String prefix = "fresh" + r + "/";
          int total = rate * (warmupSeconds + steadySeconds);
          int skip = rate * warmupSeconds;
          try (ApiVisibilityProbe probe = new ApiVisibilityProbe(server.port(), 20)) {
            produceAtRate(
                producer,
                prefix,
                pngs,
                total,
                rate,
                labels,
                (i, sentAt) -> {
                  if (i >= skip && i % API_SAMPLE_EVERY == 0) {
                    probe.watch(prefix + i, sentAt);
                  }
                });
            double[] a = probe.drain(600_000);
            apiP50[r] = Stats.percentile(a, 50);
            apiP95[r] = Stats.percentile(a, 95);
            apiP99[r] = Stats.percentile(a, 99);
            System.out.printf(
                "run %d: through the query API (every %dth image, %d): p50 %.0f p95 %.0f p99 %.0f"
                    + " ms%n",
                r, API_SAMPLE_EVERY, a.length, apiP50[r], apiP95[r], apiP99[r]);
          }
          watcher.awaitVisible(prefix, total, 600_000);
          List<Double> lat = new ArrayList<>();
          watcher
              .seen()
              .forEach(
                  (id, s) -> {
                    if (id.startsWith(prefix)
                        && Integer.parseInt(id.substring(prefix.length())) >= skip) {
                      lat.add((double) (s.visibleAt() - s.producedAt()));
                    }
                  });
          double[] l = lat.stream().mapToDouble(Double::doubleValue).toArray();
          p50[r] = Stats.percentile(l, 50);
          p95[r] = Stats.percentile(l, 95);
          p99[r] = Stats.percentile(l, 99);
          // merges keep the segment count down, and every segment is one more graph to search
          segments[r] = MergeIndexCommand.segmentCount(work.resolve("index"), model.version());
          System.out.printf(
              "run %d: freshness at %d images/s over %d images: p50 %.0f p95 %.0f p99 %.0f ms;"
                  + " %.0f segments%n",
              r, rate, l.length, p50[r], p95[r], p99[r], segments[r]);
        }
      } finally {
        if (server != null) {
          server.close();
        }
        if (service != null) {
          service.close();
        }
        job.cancel().get();
      }

      Map<String, Object> result = new LinkedHashMap<>();
      result.put(
          "machine",
          Map.of(
              "cores",
              Runtime.getRuntime().availableProcessors(),
              "maxHeapMiB",
              Runtime.getRuntime().maxMemory() >> 20,
              "os",
              System.getProperty("os.name") + " " + System.getProperty("os.arch")));
      result.put(
          "settings",
          Map.of(
              "images",
              images,
              "rate",
              rate,
              "steadySeconds",
              steadySeconds,
              "runs",
              runs,
              "parallelism",
              parallelism,
              "batchSize",
              batchSize,
              "checkpointMs",
              checkpointMs,
              "mergeNice",
              mergeNice,
              "device",
              "auto",
              "model",
              "random-init conv 16-32, 64-d"));
      result.put("throughputImagesPerSec", Stats.summary(throughput));
      result.put("freshnessP50Ms", Stats.summary(p50));
      result.put("freshnessP95Ms", Stats.summary(p95));
      result.put("freshnessP99Ms", Stats.summary(p99));
      result.put("apiFreshnessP50Ms", Stats.summary(apiP50));
      result.put("apiFreshnessP95Ms", Stats.summary(apiP95));
      result.put("apiFreshnessP99Ms", Stats.summary(apiP99));
      result.put("segmentsAfterFreshnessRun", Stats.summary(segments));
      Map<String, Object> split = new LinkedHashMap<>();
      stageShare.forEach((stage, v) -> split.put(stage, Stats.summary(v)));
      result.put("coresBusyByStage", split);
      Files.createDirectories(out.toAbsolutePath().getParent());
      ModelArtifacts.json().writeValue(out.toFile(), result);

      System.out.println();
      System.out.printf(
          "%-44s %10s %10s %10s%n", "ingest (" + runs + " runs)", "median", "min", "max");
      row("throughput, images/s (produce->commit)", throughput);
      row("freshness p50, ms (produce->visible)", p50);
      row("freshness p95, ms", p95);
      row("freshness p99, ms", p99);
      row("via query API p50, ms (produce->answerable)", apiP50);
      row("via query API p95, ms", apiP95);
      row("via query API p99, ms", apiP99);
      row("index segments after a freshness run", segments);
      for (String stage : JobStageTimes.STAGES.keySet()) {
        System.out.printf(
            "%-44s %10.2f %10.2f %10.2f%n",
            "cores busy in " + stage + " (throughput runs)",
            Stats.median(stageShare.get(stage)),
            Stats.min(stageShare.get(stage)),
            Stats.max(stageShare.get(stage)));
      }
      System.out.println("JSON: " + out);
    }
    System.exit(0);
  }

  private static void row(String name, double[] v) {
    System.out.printf(
        "%-44s %10.0f %10.0f %10.0f%n", name, Stats.median(v), Stats.min(v), Stats.max(v));
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The job's settings on {@code work}: the model in {@code work/model}, the index and checkpoints
   * beside it, the job's defaults otherwise.
   */
  static Configuration jobConf(String bootstrap, Path work) {
    Configuration conf = new Configuration();
    conf.set(IngestOptions.BOOTSTRAP_SERVERS, bootstrap);
    conf.set(IngestOptions.MODEL_DIR, work.resolve("model").toString());
    conf.set(IngestOptions.INDEX_ROOT, work.resolve("index").toString());
    conf.set(IngestOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
    return conf;
  }

  /**
   * The query API over {@link #jobConf}'s model and index: 4 threads, 1 encoder, 200 ms refresh.
   */
  static QueryOptions apiOptions(Path work) {
    return new QueryOptions(
        0,
        work.resolve("model"),
        null,
        work.resolve("index"),
        4 << 20,
        100,
        40,
        4,
        1,
        200,
        ApiAccess.LOCAL,
        QueryOptions.Embedding.DEFAULT);
  }

  /** Starts the ingestion job on a local MiniCluster and waits until it runs. */
  static JobClient startJob(Configuration conf, String name) throws Exception {
    IngestSettings settings = IngestSettings.from(conf);
    StreamExecutionEnvironment env = IngestEnvironment.create(conf, settings);
    IngestJob.addTo(env, settings);
    JobClient job = env.executeAsync(name);
    while (job.getJobStatus().get() != JobStatus.RUNNING) {
      Thread.sleep(50);
    }
    return job;
  }

  /** The first {@code n} Fashion-MNIST images as PNG: the 60,000 training images, then test. */
  static byte[][] pngs(int n) throws java.io.IOException {
    LabelledImages train =
        IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, Math.min(n, 60_000));
    LabelledImages test =
        n > train.size()
            ? IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, n - train.size())
            : null;
    byte[][] out = new byte[train.size() + (test == null ? 0 : test.size())][];
    for (int i = 0; i < out.length; i++) {
      byte[] pixels = i < train.size() ? train.pixels()[i] : test.pixels()[i - train.size()];
      out[i] = ImageEncoding.png(pixels, 1, 28, 28);
    }
    return out;
  }

  static void produceFlatOut(
      ImageProducer producer, String prefix, byte[][] pngs, int n, int[] labels) {
    for (int i = 0; i < n; i++) {
      producer.send(prefix + i, pngs[i % pngs.length], labels[i % labels.length]);
    }
    producer.flush();
  }

  /**
   * Produces {@code n} images at {@code rate} per second, or until the thread is interrupted.
   *
   * @return the images produced
   */
  static int produceAtRate(
      ImageProducer producer, String prefix, byte[][] pngs, int n, int rate, int[] labels) {
    return produceAtRate(producer, prefix, pngs, n, rate, labels, (i, sentAt) -> {});
  }

  /** Called with each image's index and send time (epoch ms). */
  interface SendListener {
    void sent(int i, long sentAt);
  }

  /** As above, telling {@code listener} of each send. */
  static int produceAtRate(
      ImageProducer producer,
      String prefix,
      byte[][] pngs,
      int n,
      int rate,
      int[] labels,
      SendListener listener) {
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    int i = 0;
    for (; i < n; i++) {
      if (Thread.interrupted()) {
        break; // the flag is cleared, so the flush below still waits for the broker
      }
      long sentAt = System.currentTimeMillis();
      producer.send(prefix + i, pngs[i % pngs.length], labels[i % labels.length]);
      listener.sent(i, sentAt);
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    producer.flush();
    return i;
  }
}
