package io.pixelstream.bench;

import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.cli.MergeIndexCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ShardedIndexWriter;
import io.pixelstream.core.io.Folders;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.query.QueryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * One machine, many images: {@code --images} distinct images ({@link ScaleImages}) produced to a
 * real broker, then ingested end to end by the job on a local MiniCluster (the job starts on the
 * full backlog, so the rate is the job's alone, merges included); then, with the query API in its
 * own JVM: freshness at a steady rate on top of the full index, query latency at 1 and 8 clients by
 * image and by id, recall@10 of hnsw against exact, segments, bytes on disk and resident memory;
 * the queries again once the merges the backlog left have settled. Writes {@code
 * bench/results/scale.json}.
 *
 * <pre>deploy/local/java.sh bench io.pixelstream.bench.ScaleBenchmark --images 1000000</pre>
 */
public final class ScaleBenchmark {

  private static final String USAGE =
      """
      Usage: ScaleBenchmark [--images 1000000] [--seed 42]
                            [--rate 1000] [--steady-seconds 15] [--requests 2000] [--runs 3]
                            [--recall-queries 1000] [--api-heap 1g] [--api-threads N]
                            [--search-threads 0]
                            [--candidates 30] [--fresh-topic false]
                            [--max-conn 16] [--beam-width 50] [--vector-format float32|int8|int4]
                            [--work DIR [--reuse [--force-merge N | --settle]]]
                            [--out bench/results/scale.json] [--tiny]
        --images  a multiple of 10: ingest is timed per tenth (per 100,000 of a million)
        --work    keep the broker, index and logs there (default: a temporary folder, deleted)
        --reuse   measure the queries again on the index an earlier run left in --work (same
                  --images and --seed), after force-merging it to N segments if asked, or
                  with --settle after the merges the job's merge policy asks for (what a job
                  running on would merge once the backlog is gone)
        --fresh-topic  the job also writes images.fresh and the API reads it (--fresh-topic), as
                  the local stack runs: freshness is then the fresh topic's, not the shard's publish
        --api-threads  the query API's request threads (default: the API's own, one per core)
        --tiny    3,000 images, short rounds: keeps the harness working in CI
      A full run measures the queries twice: on the index as the backlog left it, and again
      ("settled" in the JSON) after the merges the job's merge policy asks for once it is quiet.
      """;

  private ScaleBenchmark() {}

  /** Runs the merges each shard's policy asks for, at the job's merge priority, and commits. */
  private static void settle(Path index, String version, HnswOptions hnsw) throws IOException {
    int shards = new IndexLayout(index).shardDirs(version).size();
    // the similarity applies to added documents only: none
    try (ShardedIndexWriter writer =
        ShardedIndexWriter.open(index, version, shards, VectorSimilarityFunction.EUCLIDEAN, hnsw)) {
      writer.awaitMergesAndCommit();
    }
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception | Error e) {
      // exit even when a failure left threads behind (a local Flink cluster): never hang
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args,
            HnswFlags.and(
                "images",
                "seed",
                "rate",
                "steady-seconds",
                "requests",
                "runs",
                "recall-queries",
                "api-heap",
                "search-threads",
                "api-threads",
                "candidates",
                "fresh-topic",
                "work",
                "reuse",
                "force-merge",
                "settle",
                "out",
                "tiny"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    boolean tiny = cli.has("tiny");
    int images = cli.getInt("images", tiny ? 3000 : 1_000_000);
    if (images < 10 || images % 10 != 0) {
      throw new IllegalArgumentException("--images must be a multiple of 10, got " + images);
    }
    HnswOptions hnsw = HnswFlags.from(cli);
    long seed = cli.getLong("seed", 42);
    String apiHeap = cli.get("api-heap", "1g");
    int searchThreads = cli.getInt("search-threads", 0);
    int apiThreads =
        cli.getInt("api-threads", QueryOptions.defaultThreads(IndexBackendKind.EMBEDDED));
    Path out = Path.of(cli.get("out", "bench/results/scale.json"));
    boolean keep = cli.has("work");
    if (cli.has("reuse") && !keep) {
      throw new IllegalArgumentException("--reuse needs --work DIR of an earlier run");
    }
    if ((cli.has("settle") || cli.has("force-merge")) && !cli.has("reuse")) {
      throw new IllegalArgumentException("--settle and --force-merge go with --reuse");
    }
    Path work =
        keep
            ? Files.createDirectories(Path.of(cli.required("work")))
            : Files.createTempDirectory("scale-bench-");
    Path index = work.resolve("index");
    int candidates = cli.getInt("candidates", SearchRequest.DEFAULT_CANDIDATES);
    List<String> apiArgs =
        new ArrayList<>(
            List.of(
                "--threads",
                Integer.toString(apiThreads),
                "--candidates",
                Integer.toString(candidates)));
    if (searchThreads > 0) {
      apiArgs.addAll(List.of("--search-threads", Integer.toString(searchThreads)));
    }
    QueryApiStarter api =
        more ->
            QueryApiProcess.start(
                work.resolve("model"),
                index,
                work.resolve("api"),
                apiHeap,
                Stream.concat(apiArgs.stream(), more.stream()).toList());

    Map<String, Object> result = new LinkedHashMap<>();
    try {
      ScaleImages data = ScaleImages.fashionMnist(seed);
      if (cli.has("reuse")) {
        String version = ModelArtifacts.read(work.resolve("model")).version();
        int mergeTo = cli.getInt("force-merge", 0);
        if (mergeTo > 0) {
          long m0 = System.nanoTime();
          MergeIndexCommand.merge(index, version, mergeTo, hnsw);
          result.put("force_merged_to", mergeTo);
          result.put("force_merge_seconds", (System.nanoTime() - m0) / 1e9);
        } else if (cli.has("settle")) {
          long m0 = System.nanoTime();
          result.put("settled_from_segments", MergeIndexCommand.segmentCount(index, version));
          settle(index, version, hnsw);
          result.put("settle_seconds", (System.nanoTime() - m0) / 1e9);
        }
        result.put("indexed", images);
        try (QueryApiProcess running = api.start(List.of())) {
          result.putAll(ScaleQueries.measure(running, index, version, data, images, cli, tiny));
        }
      } else {
        ingestAndQuery(work, data, images, hnsw, seed, api, cli, tiny, result);
      }
    } finally {
      if (!keep) {
        Folders.deleteRecursively(work);
      }
    }
    result.put("vector_format", hnsw.vectorFormat().name().toLowerCase(Locale.ROOT));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("seed", seed);
    settings.put("shards", 1);
    settings.put("model", "random-init conv 16-32, 64-d");
    settings.put("apiHeap", apiHeap);
    settings.put("apiThreads", apiThreads);
    settings.put("searchThreads", searchThreads);
    settings.put("candidates", candidates);
    settings.put("freshTopic", cli.getBoolean("fresh-topic", false));
    settings.put("maxConn", hnsw.maxConn());
    settings.put("beamWidth", hnsw.beamWidth());
    settings.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("settings", settings);
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
    System.out.println(
        ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.out.println("JSON: " + out);
  }

  /** Starts the query API over the run's model and index, with {@code more} arguments. */
  @FunctionalInterface
  private interface QueryApiStarter {
    QueryApiProcess start(List<String> more) throws Exception;
  }

  /**
   * A broker, the images produced, the job through the backlog, freshness on top; then the job
   * stopped and the queries measured on what it left.
   */
  private static void ingestAndQuery(
      Path work,
      ScaleImages data,
      int images,
      HnswOptions hnsw,
      long seed,
      QueryApiStarter api,
      CliArgs cli,
      boolean tiny,
      Map<String, Object> result)
      throws Exception {
    int rate = cli.getInt("rate", tiny ? 200 : 1000);
    int steadySeconds = cli.getInt("steady-seconds", tiny ? 3 : 15);
    int warmupSeconds = tiny ? 1 : 5;
    boolean fresh = cli.getBoolean("fresh-topic", false);
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      Map<String, Integer> topics = new LinkedHashMap<>(Map.of("images", 1, "images.dlq", 1));
      List<String> apiKafka = List.of();
      if (fresh) {
        topics.putAll(HeldFreshImages.topics(1));
        apiKafka = List.of("--kafka", bootstrap, "--fresh-topic", HeldFreshImages.TOPIC);
      }
      KafkaTopics.ensure(bootstrap, topics, Duration.ofSeconds(60));
      ModelArtifact model =
          InitModelCommand.create(
              work.resolve("model"), "scale", seed, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
      result.put("produce_seconds", ScaleIngest.produce(bootstrap, data, images));
      int metricsPort = IngestBenchmark.freePort();
      Path index = work.resolve("index");
      Configuration conf = ScaleIngest.jobConf(bootstrap, work, hnsw, metricsPort);
      if (fresh) {
        conf.set(IngestOptions.FRESH_TOPIC, HeldFreshImages.TOPIC);
      }
      JobClient job = null;
      try (IndexProgress progress =
          new IndexProgress(index, model.version(), 1, images / 10, 100)) {
        job = ScaleIngest.run(conf, progress, images, metricsPort, result);
        try (QueryApiProcess running = api.start(apiKafka)) {
          result.putAll(
              ScaleIngest.freshness(
                  bootstrap,
                  running.port(),
                  metricsPort,
                  data,
                  images,
                  rate,
                  warmupSeconds,
                  steadySeconds));
          result.put(
              "segments_after_freshness", MergeIndexCommand.segmentCount(index, model.version()));
          long c0 = System.nanoTime();
          ScaleIngest.stop(job);
          job = null;
          result.put("job_stop_seconds", (System.nanoTime() - c0) / 1e9);
          result.putAll(
              ScaleQueries.measure(running, index, model.version(), data, images, cli, tiny));
        }
        result.put(
            "settled", settledPhase(api, index, model.version(), hnsw, data, images, cli, tiny));
      } finally {
        if (job != null) {
          ScaleIngest.stop(job);
        }
      }
    }
  }

  /**
   * The query phase again once the merges the backlog left are done: what a job running on merges
   * while the stream is quiet (Lucene starts the next merge when one finishes, without new
   * documents), run here with the job's writer settings after the job stopped, so that the figure
   * does not hang on how long a job idles. A fresh API, reading the settled commit.
   */
  private static Map<String, Object> settledPhase(
      QueryApiStarter api,
      Path index,
      String version,
      HnswOptions hnsw,
      ScaleImages data,
      int images,
      CliArgs cli,
      boolean tiny)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    int before = MergeIndexCommand.segmentCount(index, version);
    long m0 = System.nanoTime();
    settle(index, version, hnsw);
    double seconds = (System.nanoTime() - m0) / 1e9;
    out.put("settle_seconds", seconds);
    out.put("settled_from_segments", before);
    System.out.printf(
        "merges settled in %.1f s: %d -> %d segments; queries again:%n",
        seconds, before, MergeIndexCommand.segmentCount(index, version));
    try (QueryApiProcess running = api.start(List.of())) {
      out.putAll(ScaleQueries.measure(running, index, version, data, images, cli, tiny));
    }
    return out;
  }

  static String id(long i) {
    return "scale/" + i;
  }
}
