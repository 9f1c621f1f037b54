package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.cli.MergeIndexCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.query.WatchOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

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
                             [--parallelism 1] [--batch-size 64] [--checkpoint-ms 2000]
                             [--merge-nice 19] [--publish-ms 100] [--batch-timeout-ms 50]
                             [--refresh-ms 50] [--job-cores N (the job alone in a child JVM
                             limited to N cores by bench/limit-cpu.sh; default: in this JVM)]
                             [--job-nice N (the job in a child JVM at nice N, 0-19)]
                             [--api-jvm harness|own (the query API in this JVM or its own)]
                             [--jit-warmup false (warm a burst and the steady path, wait for the JIT)]
                             [--fresh-topic false (the job writes images.fresh, the API holds
                             what its shards have not published yet)] [--fresh-max-lag-ms 1000]
                             [--max-conn 16] [--beam-width 50] [--vector-format float32|int8|int4]
                             [--model DIR (an artifact; default: a
                             random-init conv 16-32, 64-d)]
                             [--out bench/results/ingest.json] [--tiny]
      """;

  /** One image in this many is followed through the query API (the probe polls each). */
  private static final int API_SAMPLE_EVERY = 50;

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args,
            HnswFlags.and(
                "images",
                "rate",
                "steady-seconds",
                "runs",
                "parallelism",
                "batch-size",
                "checkpoint-ms",
                "merge-nice",
                "publish-ms",
                "batch-timeout-ms",
                "refresh-ms",
                "job-cores",
                "job-nice",
                "api-jvm",
                "jit-warmup",
                "fresh-topic",
                "fresh-max-lag-ms",
                "model",
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
    long checkpointMs =
        cli.getLong("checkpoint-ms", IngestOptions.CHECKPOINT_INTERVAL.defaultValue().toMillis());
    int mergeNice = cli.getInt("merge-nice", IngestOptions.MERGE_NICE.defaultValue());
    long publishMs =
        cli.getLong("publish-ms", IngestOptions.PUBLISH_INTERVAL.defaultValue().toMillis());
    long batchTimeoutMs =
        cli.getLong("batch-timeout-ms", IngestOptions.BATCH_TIMEOUT.defaultValue().toMillis());
    long refreshMs = cli.getLong("refresh-ms", 50);
    double jobCores = Double.parseDouble(cli.get("job-cores", "0"));
    int jobNice = cli.getInt("job-nice", 0);
    boolean childJvm = jobCores > 0 || cli.has("job-nice");
    boolean jitWarmup = cli.getBoolean("jit-warmup", false);
    String freshTopic = cli.getBoolean("fresh-topic", false) ? HeldFreshImages.TOPIC : null;
    long freshMaxLagMs =
        cli.getLong("fresh-max-lag-ms", IngestOptions.FRESH_MAX_LAG.defaultValue().toMillis());
    long jitQuietMs = 0;
    boolean apiOwnJvm = cli.getChoice("api-jvm", ApiJvm.HARNESS) == ApiJvm.OWN;
    HnswOptions hnsw = HnswFlags.from(cli);
    Path out = Path.of(cli.get("out", "bench/results/ingest.json"));

    Path work = Files.createTempDirectory("ingest-bench-");
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      Map<String, Integer> topics =
          new LinkedHashMap<>(Map.of("images", parallelism, "images.dlq", 1));
      if (freshTopic != null) {
        topics.putAll(HeldFreshImages.topics(parallelism));
      }
      KafkaTopics.ensure(bootstrap, topics, Duration.ofSeconds(60));
      ModelArtifact model =
          cli.has("model")
              ? ModelArtifacts.write(
                  work.resolve("model"), ModelArtifacts.read(Path.of(cli.required("model"))))
              : InitModelCommand.create(
                  work.resolve("model"), "bench", 42, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
      byte[][] pngs = BenchImages.pngs(Math.max(images, rate * (steadySeconds + warmupSeconds)));
      int[] labels = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, 10).labels();

      Configuration conf = BenchJob.conf(bootstrap, work);
      conf.set(IngestOptions.PARALLELISM, parallelism);
      conf.set(IngestOptions.BATCH_SIZE, batchSize);
      conf.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(checkpointMs));
      conf.set(IngestOptions.MERGE_NICE, mergeNice);
      conf.set(IngestOptions.PUBLISH_INTERVAL, Duration.ofMillis(publishMs));
      conf.set(IngestOptions.BATCH_TIMEOUT, Duration.ofMillis(batchTimeoutMs));
      if (freshTopic != null) {
        conf.set(IngestOptions.FRESH_TOPIC, freshTopic);
        conf.set(IngestOptions.FRESH_MAX_LAG, Duration.ofMillis(freshMaxLagMs));
      }
      HnswFlags.set(conf, hnsw);
      int metricsPort = freePort();
      IngestEnvironment.reportToPrometheus(conf, Integer.toString(metricsPort));
      AutoCloseable job;
      if (childJvm) {
        job = BenchJob.startInChild(conf, jobCores, jobNice, work.resolve("job.log"));
      } else {
        JobClient client = BenchJob.start(conf, "ingest-benchmark");
        job = () -> client.cancel().get();
      }

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
      Map<String, List<double[]>> stages = new LinkedHashMap<>();
      BenchJob.RunningApi server = null;
      try (VisibilityWatcher watcher =
              new VisibilityWatcher(work.resolve("index"), model.version(), parallelism);
          ImageProducer producer = new ImageProducer(bootstrap, "images")) {
        // warm-up: job start, DJL natives, JIT
        BenchImages.produceFlatOut(producer, "warm/", pngs, Math.min(2000, images), labels);
        watcher.awaitVisible("warm/", Math.min(2000, images), 180_000);
        WatchOptions kafka =
            freshTopic == null ? null : WatchOptions.on(bootstrap).withFreshTopic(freshTopic);
        server = BenchJob.startApi(work, refreshMs, apiOwnJvm, kafka); // the index exists now
        if (jitWarmup) {
          // a burst as the throughput runs make and the steady path (produced at the rate,
          // followed through the API), then until the JIT has compiled what they made hot
          BenchImages.produceFlatOut(producer, "warm-burst/", pngs, images, labels);
          watcher.awaitVisible("warm-burst/", images, 600_000);
          int n = rate * warmupSeconds * 2;
          ApiVisibilityProbe.measure(
              producer, server.port(), "warm-rate/", pngs, labels, n, rate, 0, API_SAMPLE_EVERY, 1);
          watcher.awaitVisible("warm-rate/", n, 180_000);
          jitQuietMs = JitWarmup.awaitQuiet(0.05, 3, tiny ? 5_000 : 120_000);
          System.out.printf("warm-up: the JIT was quiet after %d ms more%n", jitQuietMs);
        }

        for (int r = 0; r < runs; r++) {
          String prefix = "tput" + r + "/";
          Map<String, Double> before = JobStageTimes.read(metricsPort);
          long start = System.currentTimeMillis();
          BenchImages.produceFlatOut(producer, prefix, pngs, images, labels);
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
          FreshnessStages.Reading before = FreshnessStages.read(metricsPort, server.port());
          double[] a =
              ApiVisibilityProbe.measure(
                  producer,
                  server.port(),
                  prefix,
                  pngs,
                  labels,
                  total,
                  rate,
                  skip,
                  API_SAMPLE_EVERY,
                  1);
          apiP50[r] = Stats.percentile(a, 50);
          apiP95[r] = Stats.percentile(a, 95);
          apiP99[r] = Stats.percentile(a, 99);
          System.out.printf(
              "run %d: through the query API (every %dth image, %d): p50 %.0f p95 %.0f p99 %.0f"
                  + " ms%n",
              r, API_SAMPLE_EVERY, a.length, apiP50[r], apiP95[r], apiP99[r]);
          System.out.printf(
              "  p99 per fifth of the run, in order: %s ms%n",
              Arrays.toString(Stats.percentileByPart(a, 5, 99)));
          watcher.awaitVisible(prefix, total, 600_000);
          FreshnessStages.print(before, FreshnessStages.read(metricsPort, server.port()), stages);
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
        job.close();
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
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("images", images);
      settings.put("rate", rate);
      settings.put("steadySeconds", steadySeconds);
      settings.put("runs", runs);
      settings.put("parallelism", parallelism);
      settings.put("batchSize", batchSize);
      settings.put("checkpointMs", checkpointMs);
      settings.put("mergeNice", mergeNice);
      settings.put("publishMs", publishMs);
      settings.put("batchTimeoutMs", batchTimeoutMs);
      settings.put("maxConn", hnsw.maxConn());
      settings.put("beamWidth", hnsw.beamWidth());
      settings.put("vectorFormat", hnsw.vectorFormat().name());
      settings.put("apiRefreshMs", refreshMs);
      settings.put("jobCores", jobCores > 0 ? jobCores : "unlimited");
      settings.put("jobNice", jobNice);
      settings.put("freshTopic", freshTopic != null);
      settings.put("freshMaxLagMs", freshMaxLagMs);
      settings.put("jobJvm", childJvm ? "child" : "the harness's");
      settings.put("apiJvm", apiOwnJvm ? "own" : "the harness's");
      settings.put("jitWarmup", jitWarmup);
      settings.put("jitQuietAfterMs", jitQuietMs);
      settings.put("device", "auto");
      settings.put(
          "model",
          cli.has("model")
              ? model.manifest().encoderFormat()
                  + " "
                  + model.version()
                  + ", input "
                  + model.manifest().input()
              : "random-init conv 16-32, 64-d");
      result.put("settings", settings);
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
      result.put("freshnessRunStages", stages);
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

  /** Where the query API runs. */
  enum ApiJvm {
    HARNESS,
    OWN
  }

  private static void row(String name, double[] v) {
    System.out.printf(
        "%-44s %10.0f %10.0f %10.0f%n", name, Stats.median(v), Stats.min(v), Stats.max(v));
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
