package io.pixelstream.deploy.local;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.io.NativeStderr;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.deploy.solr.SolrCloud;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.jobs.ingest.IngestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * The local stack's JVM on embedded defaults: a Kafka broker, a model registry (a deterministic
 * random-init model is registered and made current on first run), the ingestion job on a local
 * MiniCluster following the registry (so a promotion reaches it) with Prometheus metrics, and a
 * demo producer streaming Fashion-MNIST. Prints progress until Ctrl-C (or {@code --duration}).
 * {@code deploy/local/run.sh} starts it with the query API, Prometheus and the periodic trainer.
 */
public final class LocalStack {

  private static final String USAGE =
      """
      Usage: deploy/local/run.sh [options]
        --data-dir DIR         where broker, model, index and checkpoints live (default data)
        --kafka-port N         broker port (default 9092)
        --rate N               demo images per second (default 500)
        --images N             demo images in all, up to 70000 (default 70000)
        --dataset SPEC         what the demo producer streams: fashion-mnist[:DIR] (default),
                               cifar10:DIR (binary version) or folder:DIR (DIR/<class>/<image>)
        --parallelism N        job parallelism = index shards (default 1)
        --batch-size N         encoder batch size (default 64)
        --prometheus-port N    Flink metrics for Prometheus (default 9249)
        --registry DIR         model registry (default <data-dir>/registry; a random-init model
                               is registered and made current when it has none)
        --duration SECONDS     stop after this long (default 0: run until Ctrl-C)
        --index KIND           embedded (Lucene shards under <data-dir>/index, the default) or
                               solr: a SolrCloud of --solr-nodes nodes and ZooKeeper under
                               <data-dir>/solr, one collection per model version (2 shards)
        --solr-nodes N         Solr nodes with --index solr (default 2)
      """;

  /** Where a local SolrCloud's ZooKeeper address is written for the query API's launcher. */
  static final String ZK_HOST_FILE = "zk-host";

  /** The embedded index's fresh-images topic: the query API answers for images it carries. */
  static final String FRESH_TOPIC = "images.fresh";

  private LocalStack() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli;
    try {
      cli =
          CliArgs.parse(
              args,
              Set.of(
                  "data-dir",
                  "kafka-port",
                  "rate",
                  "images",
                  "dataset",
                  "parallelism",
                  "batch-size",
                  "prometheus-port",
                  "registry",
                  "duration",
                  "index",
                  "solr-nodes"));
    } catch (IllegalArgumentException e) {
      System.err.println("local stack: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    Path data = Path.of(cli.get("data-dir", "data")).toAbsolutePath();
    Files.createDirectories(data.resolve("logs"));
    System.setProperty(
        NativeStderr.LOG_DIR, data.resolve("logs").toString()); // before log4j starts
    ModelRegistry registry =
        new ModelRegistry(Path.of(cli.get("registry", data.resolve("registry").toString())));
    int parallelism = cli.getInt("parallelism", 1);

    KafkaBroker broker =
        KafkaBroker.builder()
            .dataDir(data.resolve("kafka"))
            .port(cli.getInt("kafka-port", 9092))
            .build();
    System.out.println("starting Kafka broker ...");
    broker.start();
    KafkaTopics.ensure(
        broker.bootstrapServers(),
        Map.of(
            "images",
            parallelism,
            "images.dlq",
            1,
            "images.watches",
            1,
            "images.matches",
            1,
            FRESH_TOPIC,
            parallelism),
        Map.of(
            "images.watches",
            Map.of("cleanup.policy", "compact"),
            FRESH_TOPIC,
            Map.of("retention.ms", Long.toString(Duration.ofMinutes(10).toMillis()))),
        Duration.ofSeconds(60));

    if (registry.current().isEmpty()) {
      System.out.println("registering a random-init model in " + registry.root() + " ...");
      Path modelDir = data.resolve("models/random-42");
      if (!Files.exists(modelDir.resolve("manifest.json"))) {
        InitModelCommand.create(
            modelDir, "random-42", 42, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
      }
      if (!registry.versions().contains("random-42")) {
        registry.register(ModelArtifacts.read(modelDir));
      }
      registry.makeCurrent(
          "random-42", "promote", Map.of("reason", "first model of the local stack"));
    }
    String version = registry.current().orElseThrow();
    IndexBackendKind index = cli.getChoice("index", IndexBackendKind.EMBEDDED);
    SolrCloud solr = null;
    if (index == IndexBackendKind.SOLR) {
      solr =
          SolrCloud.builder()
              .dataDir(data.resolve("solr"))
              .nodes(cli.getInt("solr-nodes", 2))
              .build();
      System.out.println("starting SolrCloud (ZooKeeper and " + solr.nodeCount() + " nodes) ...");
      solr.start();
      Files.writeString(data.resolve("solr").resolve(ZK_HOST_FILE), solr.zkHost());
    }

    Configuration conf = new Configuration();
    conf.set(IngestOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    conf.set(IngestOptions.MODEL_REGISTRY, registry.root().toString());
    conf.set(IngestOptions.INDEX_ROOT, data.resolve("index").toString());
    conf.set(IngestOptions.CHECKPOINT_DIR, data.resolve("checkpoints").toString());
    conf.set(IngestOptions.PARALLELISM, parallelism);
    conf.set(IngestOptions.BATCH_SIZE, cli.getInt("batch-size", 64));
    conf.set(IngestOptions.WATCH_ENABLED, true);
    if (solr != null) {
      conf.set(IngestOptions.INDEX_BACKEND, IndexBackendKind.SOLR);
      conf.set(IngestOptions.SOLR_CONNECT, solr.zkHost());
    } else {
      conf.set(IngestOptions.FRESH_TOPIC, FRESH_TOPIC);
    }
    IngestEnvironment.reportToPrometheus(conf, cli.get("prometheus-port", "9249"));
    IngestSettings settings = IngestSettings.from(conf);
    JobClient job = IngestEnvironment.executeAsync(conf, "pixelstream-ingest");

    DemoProducer producer =
        new DemoProducer(
            broker.bootstrapServers(),
            "images",
            DatasetSpec.parse(cli.get("dataset", "fashion-mnist")),
            cli.getInt("rate", 500),
            cli.getInt("images", 70_000));
    Thread producerThread = new Thread(producer, "demo-producer");
    producerThread.setDaemon(true);
    producerThread.start();

    System.out.printf(
        "%nlocal stack is up:%n  kafka       %s (topics images, images.dlq, images.watches,"
            + " images.matches, images.fresh)%n"
            + "  job         %s, model %s, %d writer(s)%n  index       %s%n"
            + "  metrics     http://127.0.0.1:%s/metrics%n  logs        %s, %s%n  Ctrl-C stops%n%n",
        broker.bootstrapServers(),
        job.getJobID(),
        version,
        parallelism,
        solr == null
            ? new IndexLayout(Path.of(settings.indexRoot())).versionDir(version)
            : "SolrCloud, ZooKeeper " + solr.zkHost() + ", admin " + solr.adminUrl(),
        cli.get("prometheus-port", "9249"),
        data.resolve("logs"),
        broker.logFile());

    SolrCloud stopSolr = solr;
    Thread shutdown =
        new Thread(
            () -> {
              producer.stop();
              try {
                job.cancel().get();
              } catch (Exception e) {
                System.err.println("cancelling the job: " + e);
              }
              try {
                broker.stop();
                if (stopSolr != null) {
                  stopSolr.stop();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              System.out.println("local stack stopped");
            },
            "local-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);

    long durationMs = cli.getLong("duration", 0) * 1000;
    long start = System.currentTimeMillis();
    while (durationMs == 0 || System.currentTimeMillis() - start < durationMs) {
      Thread.sleep(Math.min(5000, durationMs == 0 ? 5000 : durationMs));
      if (producer.failure() != null) {
        System.err.println("demo producer failed: " + producer.failure());
      }
      try (IndexBackend backend = settings.indexBackend()) {
        String served = backend.servedVersion().orElse(version);
        long visible;
        try (PinnedVersion pinned = backend.open(served)) {
          visible = pinned.snapshot().documents();
        }
        Path versionDir = new IndexLayout(Path.of(settings.indexRoot())).versionDir(served);
        System.out.printf(
            "t=%4ds produced %6d  indexed (visible, model %s) %6d%s%n",
            (System.currentTimeMillis() - start) / 1000,
            producer.produced(),
            served,
            visible,
            solr == null ? String.format("  index on disk %7.1f MiB", sizeMiB(versionDir)) : "");
      } catch (IOException e) {
        System.err.println("reading the index: " + e);
      }
    }
    System.exit(0); // runs the shutdown hook
  }

  private static double sizeMiB(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum()
          / 1048576.0;
    }
  }
}
