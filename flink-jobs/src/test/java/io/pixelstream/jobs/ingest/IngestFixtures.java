package io.pixelstream.jobs.ingest;

import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Shared set-up of the ingestion ITCases: a model, real images, settings, a DLQ reader. */
final class IngestFixtures {

  static final int K = 10;

  private IngestFixtures() {}

  /** A MiniCluster with one task manager of two slots, for a job of parallelism 2. */
  static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());
  }

  /** A random-init model with centroids fitted on 500 Fashion-MNIST training images, seed 42. */
  static ModelArtifact model(Path dir) throws IOException {
    return InitModelCommand.create(dir, "it-model", 42, K, 64, 500, IdxReader.FASHION_MNIST_DIR);
  }

  /** The first {@code n} Fashion-MNIST test images. */
  static LabelledImages testImages(int n) throws IOException {
    return IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, n);
  }

  static String id(int i) {
    return "fmnist:t10k/" + String.format("%05d", i);
  }

  /** Image {@code i} as a PNG. */
  static byte[] png(LabelledImages images, int i) {
    return ImageEncoding.png(images.pixels()[i], 1, 28, 28);
  }

  /** Produces images {@code from..to-1}, recording each id's bytes in {@code latest}; flushes. */
  static void send(
      ImageProducer producer, LabelledImages images, Map<String, byte[]> latest, int from, int to) {
    for (int i = from; i < to; i++) {
      byte[] png = png(images, i);
      producer.send(id(i), png, images.labels()[i]);
      latest.put(id(i), png);
    }
    producer.flush();
  }

  /** Produces images {@code from..to-1} as PNG with their labels. */
  static void produce(ImageProducer producer, LabelledImages images, int from, int to) {
    for (int i = from; i < to; i++) {
      producer.send(id(i), ImageEncoding.png(images.pixels()[i], 1, 28, 28), images.labels()[i]);
    }
    producer.flush();
  }

  /**
   * Starts a thread that produces images {@code 0..total-1}, {@code step} at a time with a pause of
   * {@code pauseMs} after each step: a stream still going when a fault is injected, however fast
   * the job is (produced all at once, one checkpoint could commit them all).
   */
  static Thread trickle(
      ImageProducer producer, LabelledImages images, int total, int step, long pauseMs) {
    Thread t =
        new Thread(
            () -> {
              for (int from = 0; from < total; from += step) {
                produce(producer, images, from, Math.min(total, from + step));
                LockSupport.parkNanos(pauseMs * 1_000_000L);
              }
            },
            "it-trickle");
    t.start();
    return t;
  }

  /** Starts the job on the test MiniCluster, restored from {@code restoreFrom} unless null. */
  static JobClient start(Configuration base, Path restoreFrom) throws Exception {
    Configuration conf = new Configuration(base);
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toString());
    }
    return IngestEnvironment.executeAsync(conf, "ingest-it");
  }

  /**
   * Cancels {@code job} and waits until it is cancelled, i.e. every task has closed its shard
   * writers. {@code cancel()} alone returns once the request is taken: a writer still closing after
   * the test's folder was deleted fails its task manager, and the next test's job with it.
   */
  static void cancel(JobClient job) throws Exception {
    job.cancel().get();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!job.getJobStatus().get().isGloballyTerminalState()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + job.getJobID() + " still not cancelled after 60 s");
      }
      Thread.sleep(20);
    }
  }

  static Configuration settings(
      String bootstrap, Path modelDir, Path work, int parallelism, boolean bounded) {
    Configuration c = new Configuration();
    c.set(IngestOptions.BOOTSTRAP_SERVERS, bootstrap);
    c.set(IngestOptions.MODEL_DIR, modelDir.toString());
    c.set(IngestOptions.INDEX_ROOT, work.resolve("index").toString());
    c.set(IngestOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
    c.set(IngestOptions.PARALLELISM, parallelism);
    c.set(IngestOptions.BOUNDED, bounded);
    c.set(IngestOptions.BATCH_SIZE, 32);
    c.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
    c.set(IngestOptions.DEVICE, "cpu");
    return c;
  }

  /**
   * The query API over {@link #settings}' index and the model in {@code work/model}: any free port,
   * 2 threads, 1 encoder, 100 candidates, new commits looked for every 50 ms.
   */
  static QueryOptions queryOptions(Path work) {
    return new QueryOptions(
        0,
        work.resolve("model"),
        null,
        work.resolve("index"),
        64 * 1024,
        100,
        100,
        2,
        1,
        50,
        ApiAccess.LOCAL,
        QueryOptions.Embedding.DEFAULT);
  }

  /** The job on {@code topic}, following {@code registry} (polled every 200 ms). */
  static Configuration registryConf(
      String bootstrap,
      ModelRegistry registry,
      Path work,
      String topic,
      int parallelism,
      boolean bounded) {
    Configuration conf = settings(bootstrap, work.resolve("unused"), work, parallelism, bounded);
    conf.removeConfig(IngestOptions.MODEL_DIR);
    conf.set(IngestOptions.MODEL_REGISTRY, registry.root().toString());
    conf.set(IngestOptions.MODEL_POLL_INTERVAL, Duration.ofMillis(200));
    conf.set(IngestOptions.TOPIC, topic);
    conf.set(IngestOptions.DLQ_TOPIC, topic + ".dlq");
    conf.set(IngestOptions.GROUP_ID, topic + "-indexer");
    return conf;
  }

  /** Registers a random-init model {@code version} (centroids on 500 images, {@code seed}). */
  static ModelArtifact register(ModelRegistry registry, Path work, String version, long seed)
      throws IOException {
    InitModelCommand.create(
        work.resolve("new-" + version), version, seed, K, 64, 500, IdxReader.FASHION_MNIST_DIR);
    return registry.register(ModelArtifacts.read(work.resolve("new-" + version)));
  }

  /**
   * A registry under {@code work} holding {@code versions} (random-init, seeds 42, 43, ...), the
   * first one current.
   */
  static ModelRegistry registry(Path work, String... versions) throws IOException {
    ModelRegistry registry = new ModelRegistry(work.resolve("registry"));
    for (int i = 0; i < versions.length; i++) {
      register(registry, work, versions[i], 42 + i);
    }
    registry.makeCurrent(versions[0], "promote", Map.of());
    return registry;
  }

  /** {@code conf} as {@link IngestJobMain}'s command line, for a job in its own process. */
  static List<String> commandLine(Configuration conf) {
    List<String> args = new ArrayList<>();
    conf.toMap()
        .forEach(
            (key, value) -> {
              args.add("--" + key);
              args.add(value);
            });
    return args;
  }

  /** Reads the topic from the start until {@code expected} records arrived or {@code timeout}. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, int expected, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaTopics.readerProperties(bootstrap, "it-reader-"))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // a little longer, so that extra (duplicate or unexpected) records would show
      long grace = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < grace) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
