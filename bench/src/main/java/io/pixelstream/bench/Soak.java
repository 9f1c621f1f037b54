package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.io.ProcessMemory;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * The local stack under a steady load for a fixed time, all on loopback in this JVM: a Kafka broker
 * (its own process), the ingestion job on a MiniCluster, the query API, a producer at a steady rate
 * (unique ids) and query clients at a steady total rate, searching by image and by id in turn.
 * Every interval it prints a row: images produced and indexed, queries, errors, query latency,
 * freshness through the query API (every 50th image, {@link ApiVisibilityProbe}), the heap retained
 * after a full GC (forced once per interval, so one pause per interval is part of the latencies)
 * and resident memory. At the end it checks: no query error, the job still running, every image
 * indexed exactly once, nothing dead-lettered; the JSON holds every row.
 *
 * <pre>deploy/local/java.sh bench io.pixelstream.bench.Soak --minutes 10</pre>
 */
public final class Soak {

  private static final String USAGE =
      """
      Usage: Soak [--minutes 10] [--rate 300] [--clients 4] [--query-rate 200]
                  [--interval-s 60] [--out bench/results/soak.json]
      """;

  private static final int API_SAMPLE_EVERY = 50;
  private static final int WARM_IMAGES = 1000;

  /** What to run. */
  record Settings(
      double minutes, int rate, int clients, int queryRate, int intervalSeconds, Path out) {}

  /** One interval's figures; latencies in ms, memory in MiB. */
  record Interval(
      int endSecond,
      long produced,
      long documents,
      long queries,
      long queryErrors,
      double queryP50Ms,
      double queryP99Ms,
      int freshnessSamples,
      double freshnessP50Ms,
      double freshnessP99Ms,
      long heapAfterGcMiB,
      long residentMiB) {}

  /** The whole run; {@link #failures()} is empty when the soak passed. */
  record Result(
      Settings settings,
      List<Interval> intervals,
      long produced,
      long indexed,
      long deadLettered,
      long queries,
      long queryErrors,
      List<String> errorSamples,
      String jobStatus) {

    List<String> failures() {
      List<String> out = new ArrayList<>();
      if (queryErrors > 0) {
        out.add(queryErrors + " query errors, e.g. " + errorSamples);
      }
      if (!jobStatus.equals(JobStatus.RUNNING.name())) {
        out.add("the job is " + jobStatus);
      }
      if (indexed != produced + WARM_IMAGES) {
        out.add("indexed " + indexed + " of " + (produced + WARM_IMAGES) + " images");
      }
      if (deadLettered > 0) {
        out.add(deadLettered + " records dead-lettered");
      }
      return out;
    }
  }

  private Soak() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args, Set.of("minutes", "rate", "clients", "query-rate", "interval-s", "out"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    Settings settings =
        new Settings(
            Double.parseDouble(cli.get("minutes", "10")),
            cli.getInt("rate", 300),
            cli.getInt("clients", 4),
            cli.getInt("query-rate", 200),
            cli.getInt("interval-s", 60),
            Path.of(cli.get("out", "bench/results/soak.json")));
    Result result = run(settings);
    List<String> failures = result.failures();
    System.out.println(failures.isEmpty() ? "soak passed" : "soak FAILED: " + failures);
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** Runs the soak, prints its rows and writes the JSON. */
  static Result run(Settings s) throws Exception {
    // see IngestBenchmark: the first JDK HTTP server in the JVM fixes the setting
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Path work = Files.createTempDirectory("soak-");
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, Map.of("images", 1, "images.dlq", 1), Duration.ofSeconds(60));
      InitModelCommand.create(
          work.resolve("model"), "soak", 42, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
      byte[][] pngs = BenchImages.pngs(10_000);
      int[] labels = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, 10).labels();
      JobClient job = BenchJob.start(BenchJob.conf(bootstrap, work), "soak");
      QueryOptions api = BenchJob.apiOptions(work, 200);

      List<Interval> intervals = new ArrayList<>();
      AtomicInteger produced = new AtomicInteger();
      List<QueryClient> clients = new ArrayList<>();
      try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
        BenchImages.produceFlatOut(producer, "warm/", pngs, WARM_IMAGES, labels);
        QueryService service = openOnceIndexed(api);
        try (service;
            QueryServer server = QueryServer.start(api, service);
            ApiVisibilityProbe probe = new ApiVisibilityProbe(server.port(), 20)) {
          awaitWarm(probe);
          int total = (int) Math.round(s.minutes() * 60 * s.rate());
          Thread producing =
              new Thread(
                  () ->
                      BenchImages.produceAtRate(
                          producer,
                          "soak/",
                          pngs,
                          total,
                          s.rate(),
                          labels,
                          (i, sentAt) -> {
                            produced.set(i + 1);
                            if (i % API_SAMPLE_EVERY == 0) {
                              probe.watch("soak/" + i, sentAt);
                            }
                          }),
                  "soak-producer");
          for (int c = 0; c < s.clients(); c++) {
            QueryClient client =
                new QueryClient(
                    server.port(), pngs, produced, s.rate(), s.queryRate() / s.clients(), c);
            clients.add(client);
            new Thread(client, "soak-client-" + c).start();
          }
          long start = System.nanoTime();
          producing.start();
          printHeader();
          while (producing.isAlive()) {
            producing.join(s.intervalSeconds() * 1000L);
            intervals.add(interval(start, produced.get(), service, clients, probe.take()));
            print(intervals.get(intervals.size() - 1));
          }
          clients.forEach(c -> c.stop.set(true));
          double[] rest = probe.drain(120_000);
          awaitDocuments(service, produced.get() + WARM_IMAGES, Duration.ofSeconds(120));
          intervals.add(interval(start, produced.get(), service, clients, rest));
          print(intervals.get(intervals.size() - 1)); // the end: everything indexed

          long queries = clients.stream().mapToLong(c -> c.total.get()).sum();
          long errors = clients.stream().mapToLong(c -> c.errors.get()).sum();
          List<String> samples = new ArrayList<>();
          clients.forEach(c -> samples.addAll(c.errorSamples));
          Result result =
              new Result(
                  s,
                  intervals,
                  produced.get(),
                  service.documents(),
                  KafkaTopics.recordCount(bootstrap, "images.dlq"),
                  queries,
                  errors,
                  samples.subList(0, Math.min(5, samples.size())),
                  job.getJobStatus().get().name());
          write(s.out(), result);
          return result;
        }
      } finally {
        clients.forEach(c -> c.stop.set(true));
        job.cancel().get();
      }
    }
  }

  /** Opens the query service once the job committed its first images (the index exists). */
  private static QueryService openOnceIndexed(QueryOptions api) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      try {
        return QueryService.open(api);
      } catch (IOException | RuntimeException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(200);
      }
    }
  }

  private static void awaitWarm(ApiVisibilityProbe probe) throws InterruptedException {
    probe.watch("warm/" + (WARM_IMAGES - 1), System.currentTimeMillis());
    probe.drain(180_000);
  }

  private static void awaitDocuments(QueryService service, long expected, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (service.documents() < expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static Interval interval(
      long start,
      long produced,
      QueryService service,
      List<QueryClient> clients,
      double[] freshness)
      throws IOException {
    List<Long> latencies = new ArrayList<>();
    long queries = 0;
    long errors = 0;
    for (QueryClient c : clients) {
      latencies.addAll(c.takeLatencies());
      queries += c.total.get();
      errors += c.errors.get();
    }
    double[] q = latencies.stream().mapToDouble(nanos -> nanos / 1e6).toArray();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return new Interval(
        (int) ((System.nanoTime() - start) / 1_000_000_000L),
        produced,
        service.documents(),
        queries,
        errors,
        q.length == 0 ? Double.NaN : Stats.percentile(q, 50),
        q.length == 0 ? Double.NaN : Stats.percentile(q, 99),
        freshness.length,
        freshness.length == 0 ? Double.NaN : Stats.percentile(freshness, 50),
        freshness.length == 0 ? Double.NaN : Stats.percentile(freshness, 99),
        (rt.totalMemory() - rt.freeMemory()) >> 20,
        ProcessMemory.residentBytes() >> 20);
  }

  private static void printHeader() {
    System.out.printf(
        "%6s %9s %9s %9s %6s %9s %9s %9s %9s %8s %8s%n",
        "t, s",
        "produced",
        "indexed",
        "queries",
        "errors",
        "q p50 ms",
        "q p99 ms",
        "fresh p50",
        "fresh p99",
        "heap MiB",
        "RSS MiB");
  }

  private static void print(Interval i) {
    System.out.printf(
        "%6d %9d %9d %9d %6d %9.2f %9.2f %9.0f %9.0f %8d %8d%n",
        i.endSecond(),
        i.produced(),
        i.documents(),
        i.queries(),
        i.queryErrors(),
        i.queryP50Ms(),
        i.queryP99Ms(),
        i.freshnessP50Ms(),
        i.freshnessP99Ms(),
        i.heapAfterGcMiB(),
        i.residentMiB());
  }

  private static void write(Path out, Result r) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(
        "machine",
        Map.of(
            "cores",
            Runtime.getRuntime().availableProcessors(),
            "maxHeapMiB",
            Runtime.getRuntime().maxMemory() >> 20));
    json.put("settings", r.settings().toString());
    json.put("produced", r.produced());
    json.put("indexed", r.indexed());
    json.put("deadLettered", r.deadLettered());
    json.put("queries", r.queries());
    json.put("queryErrors", r.queryErrors());
    json.put("errorSamples", r.errorSamples());
    json.put("jobStatus", r.jobStatus());
    json.put("failures", r.failures());
    json.put("intervals", r.intervals());
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelArtifacts.json().writeValue(out.toFile(), json);
    System.out.println("JSON: " + out);
  }

  /** Searches at a steady rate, by an uploaded image and by the id of an indexed image in turn. */
  private static final class QueryClient implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong total = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> latencies = new ArrayList<>();
    private final int port;
    private final byte[][] pngs;
    private final AtomicInteger produced;
    private final int rate;
    private final long intervalNanos;
    private final Random random;

    /** Queries {@code perSecond} times a second, ids among images produced at {@code rate}. */
    QueryClient(
        int port, byte[][] pngs, AtomicInteger produced, int rate, int perSecond, long seed) {
      this.port = port;
      this.pngs = pngs;
      this.produced = produced;
      this.rate = rate;
      this.intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
      this.random = new Random(seed);
    }

    List<Long> takeLatencies() {
      synchronized (latencies) {
        List<Long> out = new ArrayList<>(latencies);
        latencies.clear();
        return out;
      }
    }

    @Override
    public void run() {
      try (KeepAliveClient http = new KeepAliveClient("127.0.0.1", port)) {
        long next = System.nanoTime();
        for (long n = 0; !stop.get(); n++) {
          next += intervalNanos;
          long t0 = System.nanoTime();
          KeepAliveClient.Response r;
          String what;
          if (n % 2 == 0) {
            what = "search by image";
            r = http.post("/v1/search?k=10", "image/png", pngs[random.nextInt(pngs.length)]);
          } else {
            String id = indexedId();
            what = "similar to " + id;
            r =
                http.get(
                    "/v1/images/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8)
                        + "/similar?k=10");
          }
          long took = System.nanoTime() - t0;
          total.incrementAndGet();
          if (r.status() != 200) {
            errors.incrementAndGet();
            if (errorSamples.size() < 5) {
              errorSamples.add(
                  what + ": " + r.status() + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
          }
          synchronized (latencies) {
            latencies.add(took);
          }
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      } catch (IOException e) {
        errors.incrementAndGet();
        errorSamples.add(e.toString());
      }
    }

    /** A warm-up image, or one produced at least 10 s ago (committed since). */
    private String indexedId() {
      int old = produced.get() - 10 * rate;
      return old <= 0 ? "warm/" + random.nextInt(WARM_IMAGES) : "soak/" + random.nextInt(old);
    }
  }
}
