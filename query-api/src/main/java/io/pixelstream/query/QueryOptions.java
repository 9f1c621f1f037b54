package io.pixelstream.query;

import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.solr.SolrIndexSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The query service's settings. Each option is read from, lowest precedence first: a properties
 * file ({@code --config FILE}), the environment ({@code PIXELSTREAM_QUERY_<NAME>}, e.g. {@code
 * PIXELSTREAM_QUERY_MODEL_DIR}), and flags ({@code --model-dir ...}).
 *
 * @param port HTTP port; 0 picks a free one
 * @param modelDir the model artifact the index was built with (its version names the index); a
 *     fixed model, or null with {@code registry}
 * @param registry a model registry: serve the version the index alias ({@code
 *     <index-root>/serving.json}) names, with its artifact from here, and switch when it moves; or
 *     null with {@code modelDir}
 * @param indexRoot the index root ({@code <root>/<model-version>/shard-<n>})
 * @param maxImageBytes largest accepted upload
 * @param maxK largest accepted {@code k}
 * @param candidates HNSW beam per segment
 * @param threads request threads
 * @param encoders DJL predictors, each on a worker thread that embeds the waiting queries as a
 *     batch
 * @param refreshMillis how often new commits are looked for
 * @param access bind address, bearer token and load shedding ({@link ApiAccess#LOCAL} unless set)
 * @param embedding where and how query images are embedded ({@link Embedding#DEFAULT} unless set)
 * @param solr with {@code --index-backend solr}: the SolrCloud and alias to answer from ({@code
 *     indexRoot} then unused); null for the embedded Lucene shards
 * @param searchThreads threads that search the segments of one query in parallel (embedded shards);
 *     0: each request thread searches its segments one after the other
 * @param watches where watches are kept and match events read ({@code --kafka}); null: no {@code
 *     /v1/watches}, {@code /v1/matches}
 */
public record QueryOptions(
    int port,
    Path modelDir,
    Path registry,
    Path indexRoot,
    int maxImageBytes,
    int maxK,
    int candidates,
    int threads,
    int encoders,
    long refreshMillis,
    ApiAccess access,
    Embedding embedding,
    SolrIndexSettings solr,
    int searchThreads,
    WatchOptions watches) {

  /** Options on the embedded Lucene shards under {@code indexRoot}. */
  public QueryOptions(
      int port,
      Path modelDir,
      Path registry,
      Path indexRoot,
      int maxImageBytes,
      int maxK,
      int candidates,
      int threads,
      int encoders,
      long refreshMillis,
      ApiAccess access,
      Embedding embedding) {
    this(
        port,
        modelDir,
        registry,
        indexRoot,
        maxImageBytes,
        maxK,
        candidates,
        threads,
        encoders,
        refreshMillis,
        access,
        embedding,
        null,
        0,
        null);
  }

  /** These options with {@code searchThreads} segment-search threads. */
  public QueryOptions withSearchThreads(int searchThreads) {
    return with(searchThreads, watches);
  }

  /** These options with watches kept on {@code watches}' Kafka (null: none). */
  public QueryOptions withWatches(WatchOptions watches) {
    return with(searchThreads, watches);
  }

  private QueryOptions with(int searchThreads, WatchOptions watches) {
    return new QueryOptions(
        port,
        modelDir,
        registry,
        indexRoot,
        maxImageBytes,
        maxK,
        candidates,
        threads,
        encoders,
        refreshMillis,
        access,
        embedding,
        solr,
        searchThreads,
        watches);
  }

  /**
   * How query images are embedded.
   *
   * @param device where the encoders run
   * @param maxBatch largest batch of concurrent queries embedded in one forward pass
   * @param queue queries that may wait for an encoder; more are refused as unavailable
   * @param timeoutMillis how long a query waits for queue room and for its embedding
   */
  public record Embedding(
      ImageEncoder.DeviceChoice device, int maxBatch, int queue, long timeoutMillis) {

    public static final Embedding DEFAULT =
        new Embedding(ImageEncoder.DeviceChoice.AUTO, 32, 1024, 10_000);

    public Embedding {
      if (device == null) {
        throw new IllegalArgumentException("--device must be auto, cpu or gpu");
      }
      positive("embed-batch", maxBatch);
      positive("embed-queue", queue);
      positive("embed-timeout-ms", timeoutMillis);
    }
  }

  static final Set<String> NAMES =
      Set.of(
          "port",
          "model-dir",
          "registry",
          "index-root",
          "max-image-bytes",
          "max-k",
          "candidates",
          "threads",
          "encoders",
          "refresh-ms",
          "host",
          "token-file",
          "max-queued",
          "device",
          "embed-batch",
          "embed-queue",
          "embed-timeout-ms",
          "index-backend",
          "solr",
          "solr-alias",
          "search-threads",
          "kafka",
          "kafka-properties",
          "watch-topic",
          "match-topic",
          "max-watches",
          "fresh-topic");

  static final String USAGE =
      """
      Usage: query-api (--model-dir DIR | --registry DIR) [options]
        --model-dir DIR         model artifact the index was built with (a fixed model)
        --registry DIR          model registry: serve the version the index alias names
                                (<index-root>/serving.json) and switch when the job moves it
        --index-root DIR        index root (default data/index)
        --index-backend embedded  embedded (Lucene shards under --index-root) or solr
        --solr HOSTS            with solr: ZooKeeper hosts (127.0.0.1:2181[/chroot]) or Solr
                                URLs (http://127.0.0.1:8983/solr,...); the API keeps no index
        --solr-alias pixelstream  the collection alias that names the served version
        --port 8080             HTTP port (0: any free port)
        --max-image-bytes 4194304  largest upload
        --max-k 100             largest k
        --candidates 30         HNSW beam per segment (recall vs latency)
        --search-threads 0      threads that search one query's segments in parallel (0: the
                                request thread searches them in turn); helps a lightly loaded
                                API over many segments, costs throughput at full load
        --threads N             request threads (default: embedded, one per core, at least 2;
                                solr, 8)
        --encoders 2            DJL predictors; each embeds the queries waiting as one batch
        --refresh-ms 50         how often to look for new commits
        --host 127.0.0.1        address to bind (0.0.0.0: every interface, e.g. in a container)
        --token-file FILE       require "Authorization: Bearer <token>" on /v1/ (the file's
                                first line, >= 16 characters); /healthz, /metrics stay open
        --max-queued 256        requests waiting for a thread beyond which new ones get 429
        --device auto           where query images are embedded: auto (a GPU if seen), cpu, gpu
        --embed-batch 32        largest batch of waiting queries embedded in one forward pass
        --embed-queue 1024      queries that may wait for an encoder; more get 503
        --embed-timeout-ms 10000  how long a query waits for its embedding before a 503
        --kafka HOSTS           Kafka brokers: enables watches (/v1/watches, /v1/matches), kept
                                on the ingest job's watch topics (run it with watch.enabled)
        --kafka-properties FILE Kafka client settings (TLS, SASL), as the job's kafka.properties
        --watch-topic images.watches  the compacted topic that stores the watches
        --match-topic images.matches  the match events topic
        --max-watches 10000     watches that may exist; more get 409
        --fresh-topic TOPIC     with --kafka and the embedded backend: the job's
                                kafka.fresh-topic; its images are answerable before their shard
                                publishes them (held in memory until it does)
        --config FILE           a properties file with the same names (model-dir=...)
      Every option can also come from PIXELSTREAM_QUERY_<NAME> (e.g. PIXELSTREAM_QUERY_PORT).
      """;

  public QueryOptions {
    if ((modelDir == null) == (registry == null)) {
      throw new IllegalArgumentException(
          "give one of --model-dir (a fixed model) and --registry (follow the index alias)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
    }
    positive("max-image-bytes", maxImageBytes);
    positive("max-k", maxK);
    positive("candidates", candidates);
    positive("threads", threads);
    positive("encoders", encoders);
    positive("refresh-ms", refreshMillis);
    if (searchThreads < 0) {
      throw new IllegalArgumentException("--search-threads must be >= 0, got " + searchThreads);
    }
    if (access == null) {
      throw new IllegalArgumentException("access must not be null; use ApiAccess.LOCAL");
    }
    if (embedding == null) {
      throw new IllegalArgumentException("embedding must not be null; use Embedding.DEFAULT");
    }
    if (solr != null && watches != null && watches.freshTopic() != null) {
      throw new IllegalArgumentException(
          "--fresh-topic needs --index-backend embedded: a fresh image is dropped once its"
              + " shard's commit records its source offset");
    }
  }

  /** Parses flags over the environment over {@code --config}. */
  public static QueryOptions parse(String[] args, Map<String, String> env) throws IOException {
    Set<String> known = new java.util.HashSet<>(NAMES);
    known.add("config");
    CliArgs cli = CliArgs.parse(args, known);
    Map<String, String> merged = new LinkedHashMap<>();
    String config = cli.has("config") ? cli.get("config", null) : env.get(envName("config"));
    if (config != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(Path.of(config))) {
        p.load(r);
      }
      for (String name : p.stringPropertyNames()) {
        if (!NAMES.contains(name)) {
          throw new IllegalArgumentException(
              "unknown option '" + name + "' in " + config + "; known: " + NAMES);
        }
        merged.put(name, p.getProperty(name).trim());
      }
    }
    for (String name : NAMES) {
      String v = env.get(envName(name));
      if (v != null) {
        merged.put(name, v);
      }
    }
    for (String name : NAMES) {
      if (cli.has(name)) {
        merged.put(name, cli.get(name, null));
      }
    }
    Embedding d = Embedding.DEFAULT;
    String model = merged.get("model-dir");
    String registry = merged.get("registry");
    return new QueryOptions(
        integer(merged, "port", 8080),
        model == null ? null : Path.of(model),
        registry == null ? null : Path.of(registry),
        Path.of(merged.getOrDefault("index-root", "data/index")),
        integer(merged, "max-image-bytes", 4 << 20),
        integer(merged, "max-k", 100),
        integer(merged, "candidates", SearchRequest.DEFAULT_CANDIDATES),
        integer(merged, "threads", defaultThreads(backend(merged))),
        integer(merged, "encoders", 2),
        integer(merged, "refresh-ms", 50),
        new ApiAccess(
            merged.getOrDefault("host", ApiAccess.LOCAL.host()),
            merged.containsKey("token-file")
                ? ApiAccess.readToken(Path.of(merged.get("token-file")))
                : null,
            integer(merged, "max-queued", ApiAccess.LOCAL.maxQueued())),
        new Embedding(
            CliArgs.parseChoice("device", merged.get("device"), d.device()),
            integer(merged, "embed-batch", d.maxBatch()),
            integer(merged, "embed-queue", d.queue()),
            integer(merged, "embed-timeout-ms", (int) d.timeoutMillis())),
        solr(merged),
        integer(merged, "search-threads", 0),
        watches(merged));
  }

  private static WatchOptions watches(Map<String, String> values) {
    String kafka = values.get("kafka");
    if (kafka == null) {
      if (values.containsKey("fresh-topic")) {
        throw new IllegalArgumentException(
            "--fresh-topic needs --kafka, the brokers to read it on");
      }
      return null;
    }
    return new WatchOptions(
        kafka,
        KafkaClientSettings.loadOrNone(values.get("kafka-properties")),
        values.getOrDefault("watch-topic", WatchOptions.DEFAULT_WATCH_TOPIC),
        values.getOrDefault("match-topic", WatchOptions.DEFAULT_MATCH_TOPIC),
        integer(values, "max-watches", WatchOptions.DEFAULT_MAX_WATCHES),
        values.get("fresh-topic"));
  }

  /**
   * Request threads when {@code --threads} is not given. With embedded shards a request is CPU work
   * from start to end; with more threads than cores the OS time-slices the requests in flight and
   * each finishes late, with one per core they are served in turn (a million images, 8 clients, 2
   * cores: p99 by id 8.03-11.43 ms against 17.39-19.91 with 8 threads; docs/benchmarks.md). At
   * least 2, so that one slow upload does not hold the API. With SolrCloud a request mostly waits
   * on Solr: 8.
   */
  public static int defaultThreads(IndexBackendKind backend) {
    return backend == IndexBackendKind.SOLR
        ? 8
        : Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  private static IndexBackendKind backend(Map<String, String> values) {
    return CliArgs.parseChoice(
        "index-backend", values.get("index-backend"), IndexBackendKind.EMBEDDED);
  }

  private static SolrIndexSettings solr(Map<String, String> values) {
    if (backend(values) == IndexBackendKind.EMBEDDED) {
      return null;
    }
    return SolrIndexSettings.forQueries(
        values.get("solr"), values.getOrDefault("solr-alias", "pixelstream"));
  }

  static String envName(String option) {
    return "PIXELSTREAM_QUERY_" + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static int integer(Map<String, String> values, String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("--" + name + " must be >= 1, got " + value);
    }
  }
}
