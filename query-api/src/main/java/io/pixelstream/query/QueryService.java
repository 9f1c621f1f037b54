package io.pixelstream.query;

import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.index.ImageDocuments;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.VectorSearch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntField;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP handlers call: searches by image or by indexed id, stored images, clusters and
 * stats over the live index of one model version. The query image is embedded with the same
 * artifact the index was built with. A background thread picks up new commits every {@code
 * refreshMillis}; with a registry it also follows the index alias ({@link ServingAlias}) and, when
 * the ingestion job moves it, opens the new version and switches to it in one step. Every answer
 * comes from one {@link ServingModel}, so it names the one version its results came from.
 * Thread-safe.
 */
public final class QueryService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  /** A search's results with the version that produced them. */
  public record Answer(String modelVersion, VectorSearch.Result result) {}

  private final QueryOptions options;
  private final ModelRegistry registry;
  private final ServingAlias alias;
  private final ImageDecoder decoder;
  private final ScheduledExecutorService refresher;
  private volatile ServingModel serving;
  private volatile long searcherOpenedAt = System.currentTimeMillis();
  private volatile long switchedAt = -1;
  private final AtomicLong switches = new AtomicLong();
  private String refusedVersion;

  private QueryService(QueryOptions options, ModelRegistry registry, ModelArtifact first)
      throws IOException {
    this.options = options;
    this.registry = registry;
    this.alias = registry == null ? null : new ServingAlias(options.indexRoot());
    this.decoder = new ImageDecoder(imageLimits(options.maxImageBytes()));
    this.serving = ServingModel.open(first, options.indexRoot(), options.encoders());
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "index-refresh");
              t.setDaemon(true);
              return t;
            });
    refresher.scheduleWithFixedDelay(
        this::refresh, options.refreshMillis(), options.refreshMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the model and index to serve: {@code options.modelDir()}'s, or the version the index
   * alias names (the registry's current one when there is no alias yet).
   */
  public static QueryService open(QueryOptions options) throws IOException {
    if (options.registry() == null) {
      return new QueryService(options, null, ModelArtifacts.read(options.modelDir()));
    }
    ModelRegistry registry = new ModelRegistry(options.registry());
    Optional<ServingAlias.State> aliased = new ServingAlias(options.indexRoot()).read();
    String version =
        aliased.isPresent()
            ? aliased.get().version()
            : registry
                .current()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no index alias in "
                                + options.indexRoot()
                                + " and no current model in "
                                + options.registry()));
    return new QueryService(options, registry, registry.read(version));
  }

  private static ImageLimits imageLimits(int maxBytes) {
    ImageLimits d = ImageLimits.DEFAULT;
    return new ImageLimits(maxBytes, d.minSide(), d.maxSide(), d.maxPixels());
  }

  /** The version served now (an answer carries its own, see {@link Answer}). */
  public String modelVersion() {
    return serving.version();
  }

  /**
   * Looks for new commits now, and with a registry for a moved alias (the background thread does
   * this on its own).
   */
  public void refresh() {
    try {
      if (alias != null) {
        followAlias();
      }
      if (serving.index.maybeRefresh()) {
        searcherOpenedAt = System.currentTimeMillis();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("index refresh failed; still serving the previous searcher", e);
    }
  }

  private void followAlias() throws IOException {
    String target = alias.read().map(ServingAlias.State::version).orElse(null);
    ServingModel before = serving;
    if (target == null || target.equals(before.version()) || target.equals(refusedVersion)) {
      return;
    }
    ServingModel next;
    try {
      next = ServingModel.open(registry.read(target), options.indexRoot(), options.encoders());
    } catch (IOException | RuntimeException e) {
      refusedVersion = target;
      LOG.error("cannot serve model {}; still serving {}", target, before.version(), e);
      return;
    }
    serving = next;
    searcherOpenedAt = System.currentTimeMillis();
    switchedAt = searcherOpenedAt;
    switches.incrementAndGet();
    LOG.info("switched from model {} to {}", before.version(), target);
    before.release();
  }

  /** A reference on the model served now; give it back with {@link ServingModel#release}. */
  private ServingModel acquire() {
    while (true) {
      ServingModel m = serving;
      if (m.tryAcquire()) {
        return m;
      }
    }
  }

  /** Search by an uploaded image. */
  public Answer searchByImage(byte[] image, SearchRequest request) throws IOException {
    BufferedImage decoded;
    try {
      decoded = decoder.decode(image);
    } catch (RejectedInputException e) {
      throw new ApiException(statusOf(e), e.reason().name(), e.getMessage());
    }
    ServingModel m = acquire();
    try {
      float[] vector = m.encoders.embed(m.preprocessor.preprocess(decoded));
      IndexSearcher s = m.index.acquire();
      try {
        return new Answer(m.version(), VectorSearch.search(s, vector, request, m.centroids));
      } finally {
        m.index.release(s);
      }
    } finally {
      m.release();
    }
  }

  /** Search by the vector of an indexed image. */
  public Answer searchById(String id, SearchRequest request) throws IOException {
    ServingModel m = acquire();
    try {
      IndexSearcher s = m.index.acquire();
      try {
        float[] vector = VectorSearch.vectorOf(s, id);
        if (vector == null) {
          throw ApiException.notFound("no image with id '" + id + "'");
        }
        return new Answer(m.version(), VectorSearch.search(s, vector, request, m.centroids));
      } finally {
        m.index.release(s);
      }
    } finally {
      m.release();
    }
  }

  /** The stored image bytes of {@code id}. */
  public byte[] image(String id) throws IOException {
    ServingModel m = acquire();
    try {
      IndexSearcher s = m.index.acquire();
      try {
        Document doc = VectorSearch.documentOf(s, id);
        byte[] bytes = doc == null ? null : ImageDocuments.imageBytes(doc);
        if (bytes == null) {
          throw ApiException.notFound("no image with id '" + id + "'");
        }
        return bytes;
      } finally {
        m.index.release(s);
      }
    } finally {
      m.release();
    }
  }

  /** The model version and, per cluster, its size and up to {@code samples} ids. */
  public Map<String, Object> clusters(int samples) throws IOException {
    ServingModel m = acquire();
    try {
      IndexSearcher s = m.index.acquire();
      try {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int c = 0; c < m.centroids.k(); c++) {
          var query = IntField.newExactQuery(IndexFields.CLUSTER, c);
          List<String> ids = new ArrayList<>();
          for (ScoreDoc sd : s.search(query, samples).scoreDocs) {
            ids.add(s.storedFields().document(sd.doc, java.util.Set.of(IndexFields.ID)).get("id"));
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("cluster", c);
          row.put("size", s.count(query));
          row.put("sampleIds", ids);
          out.add(row);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("modelVersion", m.version());
        answer.put("clusters", out);
        return answer;
      } finally {
        m.index.release(s);
      }
    } finally {
      m.release();
    }
  }

  /**
   * Documents, shards, model version, the newest commit time and, when following an alias, how
   * often and when this server last switched versions.
   */
  public Map<String, Object> stats() throws IOException {
    ServingModel m = acquire();
    try {
      List<LiveIndex.ShardState> shards = m.index.shards();
      long docs = shards.stream().mapToLong(LiveIndex.ShardState::documents).sum();
      long lastCommit =
          shards.stream().mapToLong(LiveIndex.ShardState::commitTime).max().orElse(-1);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("modelVersion", m.version());
      out.put("documents", docs);
      out.put("shards", shards.size());
      out.put("clusters", m.centroids.k());
      out.put("embeddingDim", m.artifact.manifest().embeddingDim());
      out.put(
          "lastCommitTime", lastCommit < 0 ? null : Instant.ofEpochMilli(lastCommit).toString());
      out.put("searcherAgeMs", searcherAgeMillis());
      out.put("followsAlias", alias != null);
      out.put("modelSwitches", switches.get());
      out.put("switchedAt", switchedAt < 0 ? null : Instant.ofEpochMilli(switchedAt).toString());
      return out;
    } finally {
      m.release();
    }
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
    ServingModel m = acquire();
    try {
      IndexSearcher s = m.index.acquire();
      try {
        return s.getIndexReader().numDocs();
      } finally {
        m.index.release(s);
      }
    } finally {
      m.release();
    }
  }

  private static int statusOf(RejectedInputException e) {
    return switch (e.reason()) {
      case TOO_LARGE -> 413;
      case UNSUPPORTED_FORMAT -> 415;
      default -> 400;
    };
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
    serving.release();
  }
}
