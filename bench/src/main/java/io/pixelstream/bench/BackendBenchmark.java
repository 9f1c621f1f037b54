package io.pixelstream.bench;

import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.io.ProcessMemory;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.deploy.solr.SolrCloud;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import io.pixelstream.solr.SolrIndexSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * The two index backends side by side in one run, on one broker and one two-node SolrCloud (child
 * JVMs on this machine): for each variant (embedded Lucene shards; Solr with 2 shards and
 * replication 1; Solr with replication 2) the ingestion job and the query API run in this JVM and
 * measure ingest throughput (produced flat out until the API counts them), freshness produce ->
 * answerable through the API at a fixed rate (and where its time went, {@link FreshnessStages}),
 * query latency at 8 clients by image and by id (after rounds of warm-up queries until the
 * throughput stops rising), HNSW recall@10 against exact, and each Solr node's heap, RSS and
 * segments per core.
 *
 * <pre>deploy/local/java.sh bench io.pixelstream.bench.BackendBenchmark [--images 10000]
 *     [--rate 1000] [--seconds 20] [--queries 2000] [--variants embedded,solr-r1,solr-r2]</pre>
 */
public final class BackendBenchmark {

  private static final String USAGE =
      """
      Usage: BackendBenchmark [--images 10000] [--rate 1000] [--seconds 20] [--queries 2000]
                              [--clients 8] [--variants embedded,solr-r1,solr-r2] [--warm 2000]
                              [--commit-within-ms 200 (Solr's soft commit, index.solr.commit-within)]
                              [--out bench/results/backends.json]
      """;

  private static final int SAMPLE_EVERY = 20;

  /** Probe lanes over Solr, where one lookup by id takes tens of ms under load. */
  private static final int SOLR_PROBE_LANES = 4;

  private static final int WARM_ROUND = 2000;
  private static final int MAX_WARM_ROUNDS = 12;

  private BackendBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args,
            Set.of(
                "images",
                "rate",
                "seconds",
                "queries",
                "clients",
                "variants",
                "warm",
                "commit-within-ms",
                "out"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int images = cli.getInt("images", 10_000);
    int rate = cli.getInt("rate", 1000);
    int seconds = cli.getInt("seconds", 20);
    int queries = cli.getInt("queries", 2000);
    int clients = cli.getInt("clients", 8);
    int warm = cli.getInt("warm", 2000);
    long commitWithinMs =
        cli.getLong("commit-within-ms", IngestOptions.SOLR_COMMIT_WITHIN.defaultValue().toMillis());
    List<String> variants = List.of(cli.get("variants", "embedded,solr-r1,solr-r2").split(","));
    Path out = Path.of(cli.get("out", "bench/results/backends.json"));

    Path work = Files.createTempDirectory("backend-bench-");
    Map<String, Object> results = new LinkedHashMap<>();
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).build();
        SolrCloud solr = SolrCloud.builder().dataDir(work.resolve("solr")).nodes(2).build()) {
      broker.start();
      if (variants.stream().anyMatch(v -> v.startsWith("solr"))) {
        solr.start();
      }
      InitModelCommand.create(
          work.resolve("model"), "bench", 42, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
      byte[][] pngs = BenchImages.pngs(Math.max(images, rate * seconds) + warm);
      int[] labels = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, 10).labels();
      for (String variant : variants) {
        results.put(
            variant,
            runVariant(
                variant,
                work,
                broker,
                solr,
                pngs,
                labels,
                new Plan(images, rate, seconds, queries, clients, warm, commitWithinMs)));
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors()));
    doc.put(
        "settings",
        Map.of(
            "images",
            images,
            "rate",
            rate,
            "seconds",
            seconds,
            "queries",
            queries,
            "clients",
            clients,
            "solrCommitWithinMs",
            commitWithinMs));
    doc.put("variants", results);
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), doc);
    System.out.println("JSON: " + out);
    System.exit(0);
  }

  private static Map<String, Object> runVariant(
      String variant,
      Path work,
      KafkaBroker broker,
      SolrCloud solr,
      byte[][] pngs,
      int[] labels,
      Plan plan)
      throws Exception {
    int images = plan.images();
    int rate = plan.rate();
    int seconds = plan.seconds();
    int queries = plan.queries();
    int clients = plan.clients();
    int warm = plan.warm();
    String topic = "bench-" + variant;
    KafkaTopics.ensure(
        broker.bootstrapServers(), Map.of(topic, 1, topic + ".dlq", 1), Duration.ofSeconds(60));
    Path dir = work.resolve(variant);
    Files.createDirectories(dir);
    Files.createSymbolicLink(dir.resolve("model"), work.resolve("model"));
    Configuration conf = BenchJob.conf(broker.bootstrapServers(), dir);
    conf.set(IngestOptions.TOPIC, topic);
    conf.set(IngestOptions.DLQ_TOPIC, topic + ".dlq");
    conf.set(IngestOptions.GROUP_ID, topic);
    int metricsPort = IngestBenchmark.freePort();
    IngestEnvironment.reportToPrometheus(conf, Integer.toString(metricsPort));
    QueryOptions api = BenchJob.apiOptions(dir, 50);
    if (variant.startsWith("solr")) {
      int replication = variant.endsWith("r2") ? 2 : 1;
      conf.set(IngestOptions.INDEX_BACKEND, IndexBackendKind.SOLR);
      conf.set(IngestOptions.SOLR_CONNECT, solr.zkHost());
      conf.set(IngestOptions.SOLR_ALIAS, variant.replace('-', '_'));
      conf.set(IngestOptions.SOLR_SHARDS, 2);
      conf.set(IngestOptions.SOLR_REPLICATION_FACTOR, replication);
      conf.set(IngestOptions.SOLR_COMMIT_WITHIN, Duration.ofMillis(plan.commitWithinMs()));
      api =
          withSolr(
              api,
              new SolrIndexSettings(
                  solr.zkHost(),
                  variant.replace('-', '_'),
                  2,
                  replication,
                  SolrIndexSettings.Replicas.NRT,
                  HnswOptions.DEFAULT,
                  plan.commitWithinMs()));
    }
    System.out.printf("%n== %s ==%n", variant);
    Map<String, Object> row = new LinkedHashMap<>();
    JobClient job = BenchJob.start(conf, "backend-benchmark-" + variant);
    try (ImageProducer producer = new ImageProducer(broker.bootstrapServers(), topic)) {
      BenchImages.produceFlatOut(producer, "warm/", pngs, warm, labels);
      awaitDocuments(api, warm);
      try (QueryService service = QueryService.open(api);
          QueryServer server = QueryServer.start(api, service)) {
        long start = System.currentTimeMillis();
        BenchImages.produceFlatOut(producer, "tput/", pngs, images, labels);
        long last = awaitDocuments(service, warm + images);
        double throughput = images * 1000.0 / (last - start);
        row.put("ingestImagesPerSec", throughput);
        System.out.printf(
            "ingest: %d images produced -> answerable in %d ms = %.0f images/s%n",
            images, last - start, throughput);

        int total = rate * seconds;
        int skip = rate * 5;
        FreshnessStages.Reading before = FreshnessStages.read(metricsPort, server.port());
        double[] a =
            ApiVisibilityProbe.measure(
                producer,
                server.port(),
                "fresh/",
                pngs,
                labels,
                total,
                rate,
                skip,
                SAMPLE_EVERY,
                variant.startsWith("solr") ? SOLR_PROBE_LANES : 1);
        row.put("apiFreshnessP50Ms", Stats.percentile(a, 50));
        row.put("apiFreshnessP99Ms", Stats.percentile(a, 99));
        System.out.printf(
            "freshness at %d images/s through the API (%d samples): p50 %.0f p99 %.0f ms%n",
            rate, a.length, Stats.percentile(a, 50), Stats.percentile(a, 99));
        awaitDocuments(service, warm + images + total);
        Map<String, List<double[]>> stages = new LinkedHashMap<>();
        FreshnessStages.print(before, FreshnessStages.read(metricsPort, server.port()), stages);
        row.put("freshnessStages", stages);

        List<QueryLoad> loads =
            List.of("image", "id").stream()
                .map(
                    kind ->
                        new QueryLoad(
                            server.port(), kind, "hnsw", pngs, i -> "tput/" + (i % images)))
                .toList();
        row.put("queryWarmRounds", warmQueries(loads, clients));
        for (QueryLoad load : loads) {
          String kind = load.kind();
          double[] ms = new double[queries];
          double wall = load.run(clients, queries, ms, 2);
          row.put("query" + kind + "P50Ms", Stats.percentile(ms, 50));
          row.put("query" + kind + "P99Ms", Stats.percentile(ms, 99));
          System.out.printf(
              "query by %s, hnsw, %d clients: p50 %.2f p99 %.2f ms, %.0f req/s%n",
              kind, clients, Stats.percentile(ms, 50), Stats.percentile(ms, 99), queries / wall);
        }
        row.put("recallAt10", recall(service, images));
        System.out.printf(
            "hnsw recall@10 against exact (200 ids): %.4f%n", (double) row.get("recallAt10"));
      }
    } finally {
      job.cancel().get();
    }
    if (variant.startsWith("solr")) {
      List<Map<String, Object>> nodes = new ArrayList<>();
      for (int n = 0; n < solr.nodeCount(); n++) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("heapUsedMiB", SolrNodeStats.heapUsedMiB(solr.nodeUrls().get(n)));
        node.put("rssMiB", ProcessMemory.residentBytes(solr.nodePid(n)) / 1048576.0);
        node.put("segmentsPerCore", SolrNodeStats.segmentsPerCore(solr.nodeUrls().get(n)));
        nodes.add(node);
        System.out.printf(
            "solr node %d: heap used %.0f MiB, RSS %.0f MiB, segments per core %s%n",
            n, node.get("heapUsedMiB"), node.get("rssMiB"), node.get("segmentsPerCore"));
      }
      row.put("solrNodes", nodes);
    } else {
      row.put("benchJvmRssMiB", ProcessMemory.residentBytes() / 1048576.0);
    }
    return row;
  }

  /**
   * Rounds of {@link #WARM_ROUND} queries by image and by id until neither kind's throughput rises
   * by more than 5 % over its previous round (at most {@link #MAX_WARM_ROUNDS}): the JIT of this
   * JVM and, more so, of each Solr node compiles the query path for tens of thousands of requests
   * (docs/benchmarks.md), and the figures are of a warm system. Returns the rounds run.
   */
  private static int warmQueries(List<QueryLoad> loads, int clients) throws Exception {
    double[] previous = new double[loads.size()];
    for (int round = 1; round <= MAX_WARM_ROUNDS; round++) {
      boolean rising = false;
      for (int k = 0; k < loads.size(); k++) {
        double rate =
            WARM_ROUND / loads.get(k).run(clients, WARM_ROUND, new double[WARM_ROUND], 100 + round);
        rising |= rate > previous[k] * 1.05;
        previous[k] = rate;
      }
      if (!rising) {
        System.out.printf("query warm-up: %d rounds of %d by image and by id%n", round, WARM_ROUND);
        return round;
      }
    }
    System.out.printf(
        "query warm-up: %d rounds, still rising at %.0f / %.0f req/s%n",
        MAX_WARM_ROUNDS, previous[0], previous[1]);
    return MAX_WARM_ROUNDS;
  }

  /** What each variant runs: see the options. */
  private record Plan(
      int images, int rate, int seconds, int queries, int clients, int warm, long commitWithinMs) {}

  private static QueryOptions withSolr(QueryOptions o, SolrIndexSettings solr) {
    return new QueryOptions(
        o.port(),
        o.modelDir(),
        o.registry(),
        o.indexRoot(),
        o.maxImageBytes(),
        o.maxK(),
        o.candidates(),
        o.threads(),
        o.encoders(),
        o.refreshMillis(),
        o.access(),
        o.embedding(),
        solr,
        0,
        null);
  }

  /** Waits until a query API on {@code api} counts {@code n} documents. */
  private static void awaitDocuments(QueryOptions api, long n) throws Exception {
    try (QueryService service = QueryService.open(api)) {
      awaitDocuments(service, n);
    }
  }

  /** Waits until {@code service} counts {@code n} documents; returns when it first did. */
  private static long awaitDocuments(QueryService service, long n) throws Exception {
    long deadline = System.currentTimeMillis() + 600_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (service.documents() >= n) {
          return System.currentTimeMillis();
        }
      } catch (java.io.IOException e) {
        // a collection still being created; the next poll sees it
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the API never counted " + n + " documents");
  }

  /** Mean overlap of HNSW's top 10 with exact's, 200 random indexed ids (seed 3). */
  private static double recall(QueryService service, int images) throws Exception {
    Random random = new Random(3);
    double sum = 0;
    for (int q = 0; q < 200; q++) {
      String id = "tput/" + random.nextInt(images);
      SearchResult exact =
          service
              .searchById(id, new SearchRequest(10, SearchMode.EXACT, null, null, 10))
              .orElseThrow()
              .result();
      SearchResult hnsw =
          service
              .searchById(
                  id,
                  new SearchRequest(
                      10, SearchMode.HNSW, null, null, SearchRequest.DEFAULT_CANDIDATES))
              .orElseThrow()
              .result();
      sum += Stats.recallAt10(exact, hnsw);
    }
    return sum / 200;
  }
}
