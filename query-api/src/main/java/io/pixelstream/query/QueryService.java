package io.pixelstream.query;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.fresh.FreshImages;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.io.DaemonThreads;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.runtime.VersionFollower;
import io.pixelstream.core.search.LuceneIndexBackend;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.solr.SolrIndexBackend;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP routes call: searches by image or by indexed id, stored images, clusters and stats
 * over one model version of an {@link IndexBackend}. The query image is embedded with the same
 * model the index was built with. A background thread picks up new commits every {@code
 * refreshMillis}; with a registry it also follows the backend's served version and, when the
 * ingestion job moves it, opens the new version and switches to it in one step. Every answer comes
 * from one {@link ServingModel}, so it names the one version its results came from. With a fresh
 * topic, images the job embedded answer before their shard publishes them ({@link FreshFeed},
 * {@code core.fresh}). Speaks no HTTP: a refused image is a {@link RejectedInputException}, an
 * unknown id an empty answer. Thread-safe.
 */
public final class QueryService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  /** A search's results with the version that produced them. */
  public record Answer(String modelVersion, SearchResult result) {}

  private final QueryOptions options;
  private final ModelRegistry registry;
  private final IndexBackend backend;
  private final VersionFollower follower;
  private final ScheduledExecutorService refresher;
  private final ExecutorService segmentSearch;

  /** With {@code --fresh-topic}: the images embedded but not yet published; else null. */
  private final FreshFeed fresh;

  private volatile ServingModel serving;
  private volatile long searcherOpenedAt = System.currentTimeMillis();
  private volatile long switchedAt = -1;
  private final AtomicLong switches = new AtomicLong();
  private volatile RefreshListener refreshListener = (lagMs, openMs) -> {};

  /** Told of each refresh that opened a new searcher. */
  interface RefreshListener {
    /**
     * @param lagMs from the newest commit's appearance on disk to the new searcher, or -1 when the
     *     commit's time is unknown
     * @param openMs how long opening the new searcher took
     */
    void refreshed(long lagMs, long openMs);
  }

  private QueryService(
      QueryOptions options,
      ModelRegistry registry,
      IndexBackend backend,
      ExecutorService segmentSearch,
      ModelArtifact first)
      throws IOException {
    this.options = options;
    this.registry = registry;
    this.backend = backend;
    this.segmentSearch = segmentSearch;
    this.follower =
        registry == null
            ? null
            : new VersionFollower("query API", backend::servedVersion, first.version());
    WatchOptions kafka = options.watches();
    this.fresh = kafka == null || kafka.freshTopic() == null ? null : new FreshFeed(kafka);
    this.serving = ServingModel.open(first, backend, options, freshImages());
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("index-refresh"));
    refresher.scheduleWithFixedDelay(
        this::refresh, options.refreshMillis(), options.refreshMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the model and index to serve: {@code options.modelDir()}'s, or the version the index
   * backend serves (the registry's current one when it serves none yet).
   */
  public static QueryService open(QueryOptions options) throws IOException {
    ExecutorService segmentSearch = segmentSearch(options);
    IndexBackend backend =
        options.solr() == null
            ? new LuceneIndexBackend(options.indexRoot(), segmentSearch)
            : new SolrIndexBackend(options.solr());
    if (options.registry() == null) {
      return new QueryService(
          options, null, backend, segmentSearch, ModelArtifacts.read(options.modelDir()));
    }
    ModelRegistry registry = new ModelRegistry(options.registry());
    Optional<String> served = backend.servedVersion();
    String version =
        served.isPresent()
            ? served.get()
            : registry
                .current()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no index alias in "
                                + (options.solr() == null ? options.indexRoot() : options.solr())
                                + " and no current model in "
                                + options.registry()));
    return new QueryService(options, registry, backend, segmentSearch, registry.read(version));
  }

  /** The version served now (an answer carries its own, see {@link Answer}). */
  public String modelVersion() {
    return serving.version();
  }

  /**
   * Looks for new commits now, and with a registry for a moved served version (the background
   * thread does this on its own).
   */
  public void refresh() {
    try {
      if (follower != null) {
        follower.poll(this::switchTo);
      }
      ServingModel current = serving;
      long start = System.nanoTime();
      if (current.index.refresh()) {
        long openMs = (System.nanoTime() - start) / 1_000_000;
        searcherOpenedAt = System.currentTimeMillis();
        long visibleAt = current.index.snapshot().lastCommitVisibleAt();
        refreshListener.refreshed(
            visibleAt > 0 ? Math.max(0, searcherOpenedAt - visibleAt) : -1, openMs);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("index refresh failed; still serving the previous searcher", e);
    }
  }

  private FreshImages freshImages() {
    return fresh == null ? null : fresh.images();
  }

  /** With {@code --fresh-topic}: images held until their shard publishes them; else null. */
  FreshFeed freshFeed() {
    return fresh;
  }

  /** Tells {@code listener} of each refresh that opened a new searcher. */
  void onRefresh(RefreshListener listener) {
    this.refreshListener = listener;
  }

  private void switchTo(String version) throws IOException {
    ServingModel before = serving;
    serving = ServingModel.open(registry.read(version), backend, options, freshImages());
    searcherOpenedAt = System.currentTimeMillis();
    switchedAt = searcherOpenedAt;
    switches.incrementAndGet();
    LOG.info("switched from model {} to {}", before.version(), version);
    before.release();
  }

  @FunctionalInterface
  private interface ModelCall<T, E extends Exception> {
    T apply(ServingModel model) throws IOException, E;
  }

  /** Runs {@code call} on the model served now, holding a reference on it meanwhile. */
  private <T, E extends Exception> T withModel(ModelCall<T, E> call) throws IOException, E {
    ServingModel m;
    do {
      m = serving;
    } while (!m.tryAcquire());
    try {
      return call.apply(m);
    } finally {
      m.release();
    }
  }

  /** Search by an uploaded image; refused when it does not decode within the limits. */
  public Answer searchByImage(byte[] image, SearchRequest request)
      throws IOException, RejectedInputException {
    return this.<Answer, RejectedInputException>withModel(
        m -> {
          float[] vector = m.encoders.embed(m.runtime.preprocess(m.runtime.decode(image)));
          return new Answer(m.version(), m.index.search(vector, request, m.runtime.centroids()));
        });
  }

  /** Refuses an image the served model cannot use, as {@link #searchByImage} would. */
  public void checkImage(byte[] image) throws IOException, RejectedInputException {
    this.<Object, RejectedInputException>withModel(
        m -> m.runtime.preprocess(m.runtime.decode(image)));
  }

  /** Search by the vector of an indexed image; empty when no image has that id. */
  public Optional<Answer> searchById(String id, SearchRequest request) throws IOException {
    return this.<Optional<Answer>, RuntimeException>withModel(
        m ->
            m.index
                .searchById(id, request, m.runtime.centroids())
                .map(r -> new Answer(m.version(), r)));
  }

  /** The stored image bytes of {@code id}; empty when no image has that id. */
  public Optional<byte[]> image(String id) throws IOException {
    return this.<Optional<byte[]>, RuntimeException>withModel(m -> m.index.image(id));
  }

  /** The model version and, per cluster, its size and up to {@code samples} ids. */
  public Map<String, Object> clusters(int samples) throws IOException {
    return this.<Map<String, Object>, RuntimeException>withModel(
        m -> {
          List<Map<String, Object>> out =
              m.index.clusters(m.runtime.centroids().k(), samples).stream()
                  .map(
                      c -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("cluster", c.cluster());
                        row.put("size", c.size());
                        row.put("sampleIds", c.sampleIds());
                        return row;
                      })
                  .toList();
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("modelVersion", m.version());
          answer.put("clusters", out);
          return answer;
        });
  }

  /**
   * Documents, shards, model version, the newest commit time and, when following the served
   * version, how often and when this server last switched versions.
   */
  public Map<String, Object> stats() throws IOException {
    return this.<Map<String, Object>, RuntimeException>withModel(
        m -> {
          PinnedVersion.Snapshot snap = m.index.snapshot();
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("modelVersion", m.version());
          out.put("documents", snap.documents());
          out.put("shards", snap.shards());
          out.put("clusters", m.runtime.centroids().k());
          out.put("embeddingDim", m.runtime.manifest().embeddingDim());
          out.put("lastCommitTime", instant(snap.lastCommitTime()));
          out.put("searcherAgeMs", searcherAgeMillis());
          out.put("followsAlias", follower != null);
          out.put("modelSwitches", switches.get());
          out.put("switchedAt", instant(switchedAt));
          return out;
        });
  }

  private static String instant(long epochMillis) {
    return epochMillis < 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
  }

  /** Times this server switched to another model version. */
  public long modelSwitches() {
    return switches.get();
  }

  /** Milliseconds since the current searcher was opened. */
  public long searcherAgeMillis() {
    return System.currentTimeMillis() - searcherOpenedAt;
  }

  /** Documents visible to searches now. */
  public long documents() throws IOException {
    return this.<Long, RuntimeException>withModel(m -> m.index.snapshot().documents());
  }

  @Override
  public void close() throws IOException {
    // Never interrupt a refresh: an interrupt closes Lucene's file channels mid-read.
    refresher.shutdown();
    try {
      if (!refresher.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("index refresh did not finish within 10 s of close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (fresh != null) {
      try {
        fresh.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    serving.release();
    backend.close();
    if (segmentSearch != null) {
      segmentSearch.shutdown();
    }
  }

  /** The threads that search one query's segments in parallel; null when none are asked for. */
  private static ExecutorService segmentSearch(QueryOptions options) {
    if (options.searchThreads() == 0 || options.solr() != null) {
      return null;
    }
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        options.searchThreads(),
        r -> {
          Thread t = new Thread(r, "segment-search-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
