package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.io.Folders;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.core.watch.WatchTopicFormat;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.jobs.ingest.IngestMetrics;
import io.pixelstream.jobs.ingest.IngestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Standing queries under load (issue 26): for each number of watches, a backlog ingested by the job
 * with that many watches (images/s), then a steady stream in which one image in a hundred is a copy
 * of a watch image (produce -> match event received, p50/p99); and once with near-duplicate tagging
 * instead (its lookup's cost per image). One broker and model; each round its own topics, index and
 * job.
 */
public final class WatchBenchmark {

  private static final String USAGE =
      """
      Usage: WatchBenchmark [--watches 0,100,1000,10000] [--backlog 20000] [--rate 1000]
                            [--seconds 30] [--seed 42] [--out FILE] [--work DIR] [--tiny]
      """;

  /** Watch images come from far beyond the stream's images. */
  private static final int WATCH_IMAGES_FROM = 5_000_000;

  private WatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args, Set.of("watches", "backlog", "rate", "seconds", "seed", "out", "work", "tiny"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    boolean tiny = cli.getBoolean("tiny", false);
    List<Integer> watchCounts = new ArrayList<>();
    for (String w : cli.get("watches", tiny ? "0,10" : "0,100,1000,10000").split(",")) {
      watchCounts.add(Integer.parseInt(w.trim()));
    }
    int backlog = cli.getInt("backlog", tiny ? 1000 : 20_000);
    int rate = cli.getInt("rate", tiny ? 200 : 1000);
    int seconds = cli.getInt("seconds", tiny ? 5 : 30);
    long seed = cli.getLong("seed", 42);
    Path out = Path.of(cli.get("out", "bench/results/watches.json"));
    Path work =
        cli.has("work") ? Path.of(cli.get("work", null)) : Files.createTempDirectory("watch-bench");
    ScaleImages data = ScaleImages.fashionMnist(seed);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put(
        "settings",
        Map.of(
            "backlog",
            backlog,
            "rate",
            rate,
            "seconds",
            seconds,
            "seed",
            seed,
            "cores",
            Runtime.getRuntime().availableProcessors()));
    // two rounds of 50,000 images left the default 512 MB broker unable to take a third round's
    // watches in 120 s (twice, not reproduced on shorter runs)
    try (KafkaBroker broker =
        KafkaBroker.builder().dataDir(work.resolve("kafka")).heap("1g").build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      ModelArtifact model =
          InitModelCommand.create(
              work.resolve("model"),
              "watch-bench",
              seed,
              10,
              64,
              2000,
              IdxReader.FASHION_MNIST_DIR);
      // the job runs in this JVM: a first round would pay for the JIT; this one is not reported
      round(bootstrap, work, data, "warmup", 0, null, Math.max(1000, backlog / 4), rate, 5);
      List<Map<String, Object>> rounds = new ArrayList<>();
      for (int w : watchCounts) {
        rounds.add(round(bootstrap, work, data, "w" + w, w, null, backlog, rate, seconds));
      }
      rounds.add(round(bootstrap, work, data, "dup", 0, 0.999, backlog, rate, seconds));
      result.put("model", model.version());
      result.put("rounds", rounds);
    } finally {
      if (!cli.has("work")) {
        Folders.deleteRecursively(work);
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
    System.out.println(
        ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.out.println("JSON: " + out);
    System.exit(0); // the local Flink cluster's threads would keep the JVM alive
  }

  private static Map<String, Object> round(
      String bootstrap,
      Path work,
      ScaleImages data,
      String name,
      int watches,
      Double duplicateThreshold,
      int backlog,
      int rate,
      int seconds)
      throws Exception {
    String images = "images-" + name;
    String matches = "matches-" + name;
    String watchTopic = "watches-" + name;
    KafkaTopics.ensure(
        bootstrap,
        Map.of(images, 1, images + ".dlq", 1, watchTopic, 1, matches, 1),
        Map.of(watchTopic, Map.of("cleanup.policy", "compact")),
        Duration.ofSeconds(60));
    try (ImageProducer producer = new ImageProducer(bootstrap, watchTopic)) {
      for (int i = 0; i < watches; i++) {
        String id = "w-" + i;
        Watch watch = new Watch(id, id, data.png(WATCH_IMAGES_FROM + i), null, 0.999, null, 1L);
        producer.sendRaw(
            id.getBytes(StandardCharsets.UTF_8),
            WatchTopicFormat.write(watch),
            new RecordHeaders());
      }
    }
    try (ImageProducer producer = new ImageProducer(bootstrap, images)) {
      for (int i = 0; i < backlog; i++) {
        producer.send(name + "/" + i, data.png(i), null);
      }
    }
    Path roundWork = work.resolve(name);
    int metricsPort = IngestBenchmark.freePort();
    Configuration conf =
        ScaleIngest.jobConf(bootstrap, roundWork, HnswOptions.DEFAULT, metricsPort);
    conf.set(IngestOptions.MODEL_DIR, work.resolve("model").toString());
    conf.set(IngestOptions.TOPIC, images);
    conf.set(IngestOptions.DLQ_TOPIC, images + ".dlq");
    conf.set(IngestOptions.GROUP_ID, "bench-" + name);
    conf.set(IngestOptions.WATCH_ENABLED, true);
    conf.set(IngestOptions.WATCH_TOPIC, watchTopic);
    conf.set(IngestOptions.MATCH_TOPIC, matches);
    if (duplicateThreshold != null) {
      conf.set(IngestOptions.DUPLICATE_THRESHOLD, duplicateThreshold);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("round", name);
    out.put("watches", watches);
    out.put("duplicate_threshold", duplicateThreshold);
    String version = ModelArtifacts.read(work.resolve("model")).version();
    JobClient job = null;
    try (IndexProgress progress =
            new IndexProgress(roundWork.resolve("index"), version, 1, backlog / 10, 50);
        MatchTimes times = new MatchTimes(bootstrap, matches)) {
      job = BenchJob.start(conf, "watch-benchmark-" + name);
      progress.awaitDocuments(backlog, 600_000);
      List<Long> at = progress.reachedAt();
      // from a tenth to all: the job's start and the watches' embedding left out
      double ingestRate = backlog * 0.9 * 1000.0 / Math.max(1, at.get(9) - at.get(0));
      out.put("ingest_images_per_s", ingestRate);
      int before = times.count();
      int copies = stream(bootstrap, images, data, name, backlog, watches, rate, seconds);
      int expected = watches > 0 || duplicateThreshold != null ? copies : 0;
      long deadline = System.currentTimeMillis() + 30_000;
      while (times.count() - before < expected && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      double[] latency = times.after(before + copies / 10); // the first tenth warms up
      out.put("copies_sent", copies);
      out.put("match_events", times.count() - before);
      if (latency.length > 0) {
        out.put("match_p50_ms", Stats.percentile(latency, 50));
        out.put("match_p99_ms", Stats.percentile(latency, 99));
      }
      Map<String, Double> metrics = jobCounters(metricsPort);
      double embedded = metrics.getOrDefault(IngestMetrics.EMBEDDED, 0.0);
      if (duplicateThreshold != null && embedded > 0) {
        out.put(
            "duplicate_lookup_us_per_image",
            metrics.getOrDefault(IngestMetrics.DUPLICATE_LOOKUP_NANOS, 0.0) / embedded / 1000);
        out.put("duplicates_tagged", metrics.getOrDefault(IngestMetrics.DUPLICATES, 0.0));
      }
      System.out.println(name + ": " + out);
    } finally {
      if (job != null) {
        ScaleIngest.stop(job);
      }
    }
    return out;
  }

  /**
   * Sends {@code rate} images a second for {@code seconds}, in steps of 10 ms; one in a hundred is
   * a copy: of a watch image (a match, score 1), without watches of the image before it (a
   * near-duplicate). Returns the copies sent.
   */
  private static int stream(
      String bootstrap,
      String topic,
      ScaleImages data,
      String name,
      int from,
      int watches,
      int rate,
      int seconds)
      throws Exception {
    int total = rate * seconds;
    byte[][] pngs = new byte[total][];
    int copies = 0;
    for (int i = 0; i < total; i++) {
      boolean copy = i % 100 == 50;
      int image = from + i;
      if (copy) {
        image = watches > 0 ? WATCH_IMAGES_FROM + (i / 100) % watches : from + i - 1;
      }
      pngs[i] = data.png(image);
      copies += copy ? 1 : 0;
    }
    try (ImageProducer producer = new ImageProducer(bootstrap, topic)) {
      long start = System.nanoTime();
      int perStep = Math.max(1, rate / 100);
      for (int i = 0; i < total; i += perStep) {
        for (int j = i; j < Math.min(total, i + perStep); j++) {
          producer.send(name + "/s" + j, pngs[j], null);
        }
        long due = start + (i / perStep + 1) * 10_000_000L;
        LockSupport.parkNanos(due - System.nanoTime());
      }
    }
    return copies;
  }

  private static Map<String, Double> jobCounters(int port) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    for (PrometheusScrape.Sample s : PrometheusScrape.scrape(port)) {
      String prefix = "_" + IngestMetrics.GROUP + "_";
      int at = s.name().lastIndexOf(prefix);
      if (at >= 0) {
        out.merge(s.name().substring(at + prefix.length()), s.value(), Double::sum);
      }
    }
    return out;
  }
}
