package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.jobs.ingest.IngestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * How long a model switch takes: the job (real broker, local MiniCluster, following a registry)
 * indexes all 70,000 Fashion-MNIST images under model A; then B is promoted while new images keep
 * arriving at a steady rate, and the clock runs from the promotion to the moment the index alias
 * serves B (every indexed image re-embedded by B, the backfill). The second switch is {@code
 * trainer rollback}'s way back to A, which re-embeds everything again. Prints a table, writes JSON.
 *
 * <pre>deploy/local/java.sh bench io.pixelstream.bench.SwitchBenchmark</pre>
 */
public final class SwitchBenchmark {

  private static final String USAGE =
      """
      Usage: SwitchBenchmark [--images 70000] [--rate 100] [--parallelism 2]
                             [--backfill-batch 256] [--out bench/results/switch.json] [--tiny]
        --rate  new images per second produced during each switch (0: none)
      """;

  private SwitchBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args, Set.of("images", "rate", "parallelism", "backfill-batch", "out", "tiny"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    boolean tiny = cli.has("tiny");
    int images = cli.getInt("images", tiny ? 2000 : 70_000);
    int rate = cli.getInt("rate", tiny ? 50 : 100);
    int parallelism = cli.getInt("parallelism", 2);
    int backfillBatch = cli.getInt("backfill-batch", 256);
    Path out = Path.of(cli.get("out", "bench/results/switch.json"));

    Path work = Files.createTempDirectory("switch-bench-");
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(
          bootstrap, Map.of("images", parallelism, "images.dlq", 1), Duration.ofSeconds(60));
      ModelRegistry registry = new ModelRegistry(work.resolve("registry"));
      ModelArtifact a = register(registry, work, "model-a", 42);
      ModelArtifact b = register(registry, work, "model-b", 43);
      registry.makeCurrent(a.version(), "promote", Map.of());
      byte[][] pngs = BenchImages.pngs(images);
      int[] labels = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, 10).labels();
      Path indexRoot = work.resolve("index");

      Configuration conf = new Configuration();
      conf.set(IngestOptions.BOOTSTRAP_SERVERS, bootstrap);
      conf.set(IngestOptions.MODEL_REGISTRY, registry.root().toString());
      conf.set(IngestOptions.INDEX_ROOT, indexRoot.toString());
      conf.set(IngestOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
      conf.set(IngestOptions.PARALLELISM, parallelism);
      conf.set(IngestOptions.BACKFILL_BATCH_SIZE, backfillBatch);
      conf.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
      JobClient job = BenchJob.start(conf, "switch-benchmark");

      List<Map<String, Object>> switches = new ArrayList<>();
      try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
        long t0 = System.currentTimeMillis();
        BenchImages.produceFlatOut(producer, "img/", pngs, images, labels);
        awaitDocuments(indexRoot, a.version(), images, 900_000);
        System.out.printf(
            "indexed %d images under %s in %.1f s%n",
            images, a.version(), (System.currentTimeMillis() - t0) / 1000.0);

        AtomicInteger live = new AtomicInteger();
        for (String[] move : new String[][] {{"promote", b.version()}, {"rollback", a.version()}}) {
          String prefix = "live" + switches.size() + "/";
          Thread stream =
              new Thread(
                  () -> {
                    if (rate > 0) {
                      live.set(
                          BenchImages.produceAtRate(
                              producer, prefix, pngs, Integer.MAX_VALUE, rate, labels));
                    }
                  },
                  "steady-producer");
          stream.start();
          Thread.sleep(1000);
          long promoted = System.currentTimeMillis();
          if (move[0].equals("promote")) {
            registry.makeCurrent(move[1], "promote", Map.of());
          } else {
            registry.rollback();
          }
          long switched = awaitAlias(indexRoot, move[1], 1_800_000);
          stream.interrupt();
          stream.join();
          long documents = documents(indexRoot, move[1]);
          double seconds = (switched - promoted) / 1000.0;
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("action", move[0]);
          row.put("to", move[1]);
          row.put("switchSeconds", seconds);
          row.put("reembeddedImagesPerSecond", images / seconds);
          row.put("documentsAtSwitch", documents);
          row.put("producedDuringSwitch", live.get());
          switches.add(row);
          System.out.printf(
              "%s to %s: alias moved %.1f s after the promotion (%.0f images/s re-embedded),"
                  + " %d documents served, %d new images produced meanwhile%n",
              move[0], move[1], seconds, images / seconds, documents, live.get());
          live.set(0);
        }
      } finally {
        job.cancel().get();
      }

      Map<String, Object> result = new LinkedHashMap<>();
      result.put(
          "machine",
          Map.of(
              "cores",
              Runtime.getRuntime().availableProcessors(),
              "os",
              System.getProperty("os.name") + " " + System.getProperty("os.arch")));
      Map<String, Object> setup = new LinkedHashMap<>();
      setup.put("images", images);
      setup.put("steadyRate", rate);
      setup.put("parallelism", parallelism);
      setup.put("backfillBatch", backfillBatch);
      setup.put("model", "random-init conv 16-32, 64-d (two seeds)");
      result.put("setup", setup);
      result.put("switches", switches);
      Files.createDirectories(out.toAbsolutePath().getParent());
      ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
      System.out.println();
      System.out.printf(
          "%-10s %-10s %12s %14s %12s%n", "switch", "to", "seconds", "re-embed img/s", "documents");
      for (Map<String, Object> r : switches) {
        System.out.printf(
            "%-10s %-10s %12.1f %14.0f %12d%n",
            r.get("action"),
            r.get("to"),
            (double) r.get("switchSeconds"),
            (double) r.get("reembeddedImagesPerSecond"),
            (long) r.get("documentsAtSwitch"));
      }
      System.out.println("JSON: " + out);
    }
    System.exit(0);
  }

  private static ModelArtifact register(
      ModelRegistry registry, Path work, String version, long seed) throws Exception {
    InitModelCommand.create(
        work.resolve("new-" + version), version, seed, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
    return registry.register(ModelArtifacts.read(work.resolve("new-" + version)));
  }

  private static long awaitAlias(Path indexRoot, String version, long timeoutMs) throws Exception {
    ServingAlias alias = new ServingAlias(indexRoot);
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      var state = alias.read();
      if (state.isPresent() && state.get().version().equals(version)) {
        return state.get().switchedAt();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the alias never moved to " + version);
  }

  private static void awaitDocuments(Path indexRoot, String version, long n, long timeoutMs)
      throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (documents(indexRoot, version) >= n) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(version + " never held " + n + " documents");
  }

  private static long documents(Path indexRoot, String version) throws Exception {
    try (LiveIndex index = LiveIndex.open(indexRoot, version)) {
      var s = index.acquire();
      try {
        return s.getIndexReader().numDocs();
      } finally {
        index.release(s);
      }
    }
  }
}
