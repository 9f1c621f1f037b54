package io.pixelstream.query;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.embed.EncoderPool;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.index.ImageDocuments;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.VectorSearch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * refreshMillis}. Thread-safe.
 */
public final class QueryService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  /** Largest batch of concurrent queries embedded in one forward pass. */
  private static final int MAX_EMBED_BATCH = 32;

  /** Queries that may wait for an encoder; more get 503. */
  private static final int EMBED_QUEUE = 1024;

  private final ModelArtifact artifact;
  private final Centroids centroids;
  private final LiveIndex index;
  private final EncoderPool encoders;
  private final ImageDecoder decoder;
  private final ImagePreprocessor preprocessor;
  private final ScheduledExecutorService refresher;
  private volatile long searcherOpenedAt = System.currentTimeMillis();

  private QueryService(QueryOptions options, ModelArtifact artifact) throws IOException {
    this.artifact = artifact;
    this.centroids = new Centroids(artifact.manifest().clustering().centroids());
    this.decoder = new ImageDecoder(imageLimits(options.maxImageBytes()));
    this.preprocessor =
        new ImagePreprocessor(artifact.manifest().input(), artifact.manifest().normalization());
    this.index = LiveIndex.open(options.indexRoot(), artifact.version());
    try {
      this.encoders =
          new EncoderPool(
              artifact,
              ImageEncoder.DeviceChoice.AUTO,
              options.encoders(),
              MAX_EMBED_BATCH,
              EMBED_QUEUE,
              Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
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

  /** Reads the artifact at {@code options.modelDir()} and opens its index. */
  public static QueryService open(QueryOptions options) throws IOException {
    return new QueryService(options, ModelArtifacts.read(options.modelDir()));
  }

  private static ImageLimits imageLimits(int maxBytes) {
    ImageLimits d = ImageLimits.DEFAULT;
    return new ImageLimits(maxBytes, d.minSide(), d.maxSide(), d.maxPixels());
  }

  public String modelVersion() {
    return artifact.version();
  }

  /** Looks for new commits now (the background thread does this on its own). */
  public void refresh() {
    try {
      if (index.maybeRefresh()) {
        searcherOpenedAt = System.currentTimeMillis();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("index refresh failed; still serving the previous searcher", e);
    }
  }

  /** Search by an uploaded image. */
  public VectorSearch.Result searchByImage(byte[] image, SearchRequest request) throws IOException {
    float[] input;
    try {
      input = preprocessor.preprocess(decoder.decode(image));
    } catch (RejectedInputException e) {
      throw new ApiException(statusOf(e), e.reason().name(), e.getMessage());
    }
    return search(encoders.embed(input), request);
  }

  /** Search by the vector of an indexed image. */
  public VectorSearch.Result searchById(String id, SearchRequest request) throws IOException {
    IndexSearcher s = index.acquire();
    try {
      float[] vector = VectorSearch.vectorOf(s, id);
      if (vector == null) {
        throw ApiException.notFound("no image with id '" + id + "'");
      }
      return VectorSearch.search(s, vector, request, centroids);
    } finally {
      index.release(s);
    }
  }

  private VectorSearch.Result search(float[] vector, SearchRequest request) throws IOException {
    IndexSearcher s = index.acquire();
    try {
      return VectorSearch.search(s, vector, request, centroids);
    } finally {
      index.release(s);
    }
  }

  /** The stored image bytes of {@code id}. */
  public byte[] image(String id) throws IOException {
    IndexSearcher s = index.acquire();
    try {
      Document doc = VectorSearch.documentOf(s, id);
      byte[] bytes = doc == null ? null : ImageDocuments.imageBytes(doc);
      if (bytes == null) {
        throw ApiException.notFound("no image with id '" + id + "'");
      }
      return bytes;
    } finally {
      index.release(s);
    }
  }

  /** Per cluster: its size and up to {@code samples} ids. */
  public List<Map<String, Object>> clusters(int samples) throws IOException {
    IndexSearcher s = index.acquire();
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      for (int c = 0; c < centroids.k(); c++) {
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
      return out;
    } finally {
      index.release(s);
    }
  }

  /** Documents, shards, model version and the newest commit time. */
  public Map<String, Object> stats() throws IOException {
    List<LiveIndex.ShardState> shards = index.shards();
    long docs = shards.stream().mapToLong(LiveIndex.ShardState::documents).sum();
    long lastCommit = shards.stream().mapToLong(LiveIndex.ShardState::commitTime).max().orElse(-1);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("modelVersion", artifact.version());
    out.put("documents", docs);
    out.put("shards", shards.size());
    out.put("clusters", centroids.k());
    out.put("embeddingDim", artifact.manifest().embeddingDim());
    out.put(
        "lastCommitTime",
        lastCommit < 0 ? null : java.time.Instant.ofEpochMilli(lastCommit).toString());
    out.put("searcherAgeMs", searcherAgeMillis());
    return out;
  }

  /** Milliseconds since the current searcher was opened. */
  public long searcherAgeMillis() {
    return System.currentTimeMillis() - searcherOpenedAt;
  }

  /** Documents visible to searches now. */
  public long documents() throws IOException {
    IndexSearcher s = index.acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      index.release(s);
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
    try {
      encoders.close();
    } finally {
      index.close();
    }
  }
}
