package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.cli.MergeIndexCommand;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardedIndexWriter;
import io.pixelstream.core.io.Folders;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Query API benchmark: all 70,000 Fashion-MNIST images indexed (2 shards, optionally force-merged),
 * the server in this JVM, at 1, 8 and 32 concurrent clients, each on its own keep-alive connection
 * sending requests back to back: search by image (a PNG of a test image: upload, decode, embedding,
 * search, answer) and search by id (the stored vector of a test image). Latency is client-side;
 * each figure is the median of several rounds after a warm-up, with the spread. Then recall@10 of
 * hnsw and of cluster mode against exact. Prints a table and writes JSON.
 *
 * <pre>
 * deploy/local/java.sh bench io.pixelstream.bench.QueryBenchmark --work /tmp/qbench --segments 1
 * </pre>
 */
public final class QueryBenchmark {

  private static final String USAGE =
      """
      Usage: QueryBenchmark [--images 70000] [--clients 1,8,32] [--kinds image,id]
                            [--requests 2000] [--warmup 1000] [--runs 3]
                            [--recall-queries 1000] [--candidates 30] [--encoders 2]
                            [--model-dir DIR] [--work DIR] [--segments 0] [--modes hnsw]
                            [--max-conn 16] [--beam-width 50] [--vector-format float32|int8|int4]
                            [--commit-every 10000] [--search-threads 0]
                           [--fresh-held N] [--fresh-rate 1000]
                            [--out bench/results/query.json] [--tiny]
        --kinds     image: POST /v1/search with a PNG; id: GET /v1/images/{id}/similar
        --requests  per measured round; each (kind, mode, clients) gets one warm-up of
                    --warmup requests, then --runs rounds; the table shows the median round
                    and the spread (min-max) over rounds
        --segments N  force-merge each shard to at most N segments before measuring
                      (0: leave the index as written)
        --commit-every N  commit every N images while building the index (each commit ends
                          a segment per shard; merges run as in the job): a smaller N leaves
                          as many segments as a streaming index has
        --search-threads N  search one query's segments in parallel on N threads (0: the
                            request thread searches them in turn)
        --fresh-held N  start a broker whose fresh-images topic holds N images the index does not
                    and the API reads it (--fresh-topic): its searches rank them beside the index;
                    --fresh-rate of them are written again each second, as a stream replaces them
        --work DIR  keep the model and index there and reuse them on the next run (default: a
                    fresh temporary folder); serve it with QueryApiMain for other load tools
        --tiny      3,000 images, 1 round of 100 requests: keeps the harness working in CI
      """;

  private QueryBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args,
            HnswFlags.and(
                "images",
                "clients",
                "kinds",
                "runs",
                "tiny",
                "requests",
                "warmup",
                "recall-queries",
                "candidates",
                "encoders",
                "model-dir",
                "fresh-held",
                "fresh-rate",
                "work",
                "segments",
                "commit-every",
                "search-threads",
                "modes",
                "out"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    boolean tiny = cli.has("tiny");
    int images = cli.getInt("images", tiny ? 3000 : 70_000);
    int[] clientCounts =
        java.util.Arrays.stream(cli.get("clients", "1,8,32").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    List<String> kinds = List.of(cli.get("kinds", "image,id").split(","));
    int requests = cli.getInt("requests", tiny ? 100 : 2000);
    int warmup = cli.getInt("warmup", tiny ? 50 : 1000);
    int runs = cli.getInt("runs", tiny ? 1 : 3);
    int recallQueries = cli.getInt("recall-queries", tiny ? 100 : 1000);
    int clients = java.util.Arrays.stream(clientCounts).max().orElse(8);
    int candidates = cli.getInt("candidates", SearchRequest.DEFAULT_CANDIDATES);
    int encoders = cli.getInt("encoders", 2);
    int segments = cli.getInt("segments", 0);
    HnswOptions hnsw = HnswFlags.from(cli);
    int commitEvery = cli.getInt("commit-every", 10_000);
    if (commitEvery < 1) {
      throw new IllegalArgumentException("--commit-every must be >= 1, got " + commitEvery);
    }
    List<String> modes = List.of(cli.get("modes", "hnsw").split(","));
    modes.forEach(SearchMode::parse);
    for (String kind : kinds) {
      if (!kind.equals("image") && !kind.equals("id")) {
        throw new IllegalArgumentException("--kinds takes image and/or id, got " + kind);
      }
    }
    int freshHeld = cli.getInt("fresh-held", -1);
    Path out = Path.of(cli.get("out", "bench/results/query.json"));

    Path work =
        cli.has("work")
            ? Files.createDirectories(Path.of(cli.get("work", null)))
            : Files.createTempDirectory("query-bench-");
    Path modelDir;
    ModelArtifact model;
    if (cli.has("model-dir")) {
      modelDir = Path.of(cli.get("model-dir", null));
      model = ModelArtifacts.read(modelDir);
    } else if (Files.exists(work.resolve("model/manifest.json"))) {
      modelDir = work.resolve("model");
      model = ModelArtifacts.read(modelDir);
    } else {
      modelDir = work.resolve("model");
      model =
          InitModelCommand.create(modelDir, "bench", 42, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
    }
    LabelledImages test = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, 10_000);
    long t0 = System.nanoTime();
    int indexed = indexedAlready(work.resolve("index"), model.version());
    double buildSeconds = Double.NaN;
    if (indexed != images) {
      indexed = buildIndex(model, work.resolve("index"), images, test, commitEvery, hnsw);
      buildSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("indexed %,d images in %.1f s%n", indexed, buildSeconds);
    } else {
      System.out.printf("reusing the %,d images indexed in %s%n", indexed, work);
    }
    if (segments > 0) {
      long m0 = System.nanoTime();
      MergeIndexCommand.merge(work.resolve("index"), model.version(), segments, hnsw);
      System.out.printf(
          "force-merged to <= %d segment(s) per shard in %.1f s%n",
          segments, (System.nanoTime() - m0) / 1e9);
    }
    int leaves = MergeIndexCommand.segmentCount(work.resolve("index"), model.version());

    HeldFreshImages held =
        freshHeld < 0
            ? null
            : HeldFreshImages.start(
                Files.createTempDirectory("query-bench-kafka-"),
                HeldFreshImages.images(model, test, freshHeld),
                cli.getInt("fresh-rate", 1000));
    QueryOptions options =
        new QueryOptions(
                0,
                modelDir,
                null,
                work.resolve("index"),
                4 << 20,
                100,
                candidates,
                clients,
                encoders,
                200,
                ApiAccess.LOCAL,
                QueryOptions.Embedding.DEFAULT)
            .withSearchThreads(cli.getInt("search-threads", 0));
    if (held != null) {
      options = options.withWatches(held.watchOptions());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("images", indexed);
    setup.put("shards", 2);
    setup.put("segments", leaves);
    setup.put("vectorFormat", hnsw.vectorFormat().name());
    setup.put("beamWidth", hnsw.beamWidth());
    setup.put("indexBytes", Folders.size(work.resolve("index").resolve(model.version())));
    setup.put("commitEvery", commitEvery);
    setup.put("clients", clientCounts);
    setup.put("requestsPerRound", requests);
    setup.put("warmup", warmup);
    setup.put("runs", runs);
    setup.put("candidates", candidates);
    setup.put("searchThreads", options.searchThreads());
    setup.put("encoders", encoders);
    setup.put("freshHeld", freshHeld < 0 ? "no fresh topic" : freshHeld);
    setup.put("model", model.version());
    setup.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    result.put("setup", setup);
    result.put("indexBuildSeconds", buildSeconds);
    try (held;
        QueryService service = QueryService.open(options);
        QueryServer server = QueryServer.start(options, service)) {
      if (held != null) {
        held.awaitHeld(server.port());
      }
      int testIndexed = Math.min(indexed, test.size());
      byte[][] pngs = new byte[testIndexed][];
      for (int i = 0; i < pngs.length; i++) {
        pngs[i] = ImageEncoding.png(test.pixels()[i], 1, 28, 28);
      }
      System.out.printf(
          "%n%-26s %8s %22s %22s %22s%n",
          "query (" + runs + " rounds)",
          "clients",
          "p50 ms (min-max)",
          "p99 ms (min-max)",
          "req/s (min-max)");
      List<Map<String, Object>> latency = new ArrayList<>();
      for (String kind : kinds) {
        for (String mode : modes) {
          for (int c : clientCounts) {
            QueryLoad load = new QueryLoad(server.port(), kind, mode, pngs, QueryBenchmark::testId);
            load.run(c, warmup, new double[warmup], 1);
            double[] p50 = new double[runs];
            double[] p99 = new double[runs];
            double[] rps = new double[runs];
            for (int r = 0; r < runs; r++) {
              double[] ms = new double[requests];
              double seconds = load.run(c, requests, ms, 2 + r);
              p50[r] = Stats.percentile(ms, 50);
              p99[r] = Stats.percentile(ms, 99);
              rps[r] = requests / seconds;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", kind);
            row.put("mode", mode);
            row.put("clients", c);
            row.put("p50Ms", Stats.summary(p50));
            row.put("p99Ms", Stats.summary(p99));
            row.put("requestsPerSec", Stats.summary(rps));
            latency.add(row);
            System.out.printf(
                "%-26s %8d %22s %22s %22s%n",
                "by " + kind + ", " + mode,
                c,
                Stats.spread(p50, "%.2f"),
                Stats.spread(p99, "%.2f"),
                Stats.spread(rps, "%.0f"));
          }
        }
      }
      result.put("latency", latency);
      Map<String, Object> recall = recall(service, recallQueries, candidates, testIndexed);
      result.put("recallAt10VsExact", recall);
      System.out.printf(
          "%nrecall@10 vs exact over %d test-set queries: hnsw %.4f, cluster %.4f%n",
          recallQueries, recall.get("hnsw"), recall.get("cluster"));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
    System.out.println("JSON: " + out);
    System.exit(0);
  }

  private static int indexedAlready(Path root, String version) throws IOException {
    try (LiveIndex index = LiveIndex.open(root, version)) {
      return index.shards().stream().mapToInt(LiveIndex.ShardState::documents).sum();
    }
  }

  /** Train (60k) then test (10k) images, ids {@code fmnist:train/i} and {@code fmnist:t10k/i}. */
  private static int buildIndex(
      ModelArtifact model,
      Path root,
      int images,
      LabelledImages test,
      int commitEvery,
      HnswOptions hnsw)
      throws Exception {
    LabelledImages train =
        IdxReader.fashionMnist(
            IdxReader.FASHION_MNIST_DIR, true, Math.max(0, images - test.size()));
    Centroids centroids = new Centroids(model.manifest().clustering().centroids());
    int count = 0;
    try (ImageEncoder encoder = ImageEncoder.open(model, ImageEncoder.DeviceChoice.AUTO);
        ShardedIndexWriter writer =
            ShardedIndexWriter.open(
                root, model.version(), 2, VectorSimilarityFunction.EUCLIDEAN, hnsw)) {
      for (LabelledImages set : List.of(test, train)) {
        String prefix = set == test ? "fmnist:t10k/" : "fmnist:train/"; // as testId
        float[][] inputs =
            model
                .manifest()
                .normalization()
                .applyAll(set.pixels(), model.manifest().input().channels());
        float[][] vectors = encoder.embedAll(inputs, 256);
        for (int i = 0; i < set.size() && count < images; i++, count++) {
          writer.upsert(
              new IndexedImage(
                  prefix + String.format("%05d", i),
                  vectors[i],
                  centroids.nearest(vectors[i]),
                  set.labels()[i],
                  "bench",
                  model.version(),
                  System.currentTimeMillis(),
                  0L,
                  ImageEncoding.png(set.pixels()[i], 1, 28, 28)));
          if (count % commitEvery == commitEvery - 1) {
            writer.commit();
          }
        }
      }
      writer.commit();
    }
    return count;
  }

  static String testId(int i) {
    return "fmnist:t10k/" + String.format("%05d", i);
  }

  /** Mean overlap of hnsw's and cluster mode's top 10 with exact's, queries by test-set id. */
  private static Map<String, Object> recall(
      QueryService service, int queries, int candidates, int testIndexed) throws Exception {
    Random random = new Random(7);
    double hnsw = 0;
    double cluster = 0;
    for (int q = 0; q < queries; q++) {
      String id = testId(random.nextInt(testIndexed));
      SearchResult exact =
          service
              .searchById(id, new SearchRequest(10, SearchMode.EXACT, null, null, 10))
              .orElseThrow()
              .result();
      hnsw +=
          Stats.recallAt10(
              exact,
              service
                  .searchById(id, new SearchRequest(10, SearchMode.HNSW, null, null, candidates))
                  .orElseThrow()
                  .result());
      cluster +=
          Stats.recallAt10(
              exact,
              service
                  .searchById(id, new SearchRequest(10, SearchMode.CLUSTER, null, null, 10))
                  .orElseThrow()
                  .result());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queries", queries);
    out.put("hnsw", hnsw / queries);
    out.put("cluster", cluster / queries);
    return out;
  }
}
