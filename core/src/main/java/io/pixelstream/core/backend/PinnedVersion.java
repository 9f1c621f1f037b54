package io.pixelstream.core.backend;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The committed documents of one model version as an index backend serves them: every call answers
 * from one consistent point in time, and {@link #refresh} moves that point to what was committed
 * since. What the query API talks to; {@code io.pixelstream.core.search.LucenePinnedVersion} is the
 * implementation over the Lucene shards on disk. Thread-safe.
 */
public interface PinnedVersion extends Closeable {

  /** The model version whose documents these are. */
  String modelVersion();

  /** Looks for new commits; true when what calls see changed. */
  boolean refresh() throws IOException;

  /**
   * Top-k by {@code request}'s mode and filters.
   *
   * @param centroids the model's centroids; {@link SearchMode#CLUSTER} needs them
   */
  SearchResult search(float[] query, SearchRequest request, Centroids centroids) throws IOException;

  /** Top-k by the indexed vector of {@code id} ({@link #vector}); empty when no document has it. */
  default Optional<SearchResult> searchById(String id, SearchRequest request, Centroids centroids)
      throws IOException {
    Optional<float[]> vector = vector(id);
    return vector.isEmpty()
        ? Optional.empty()
        : Optional.of(search(vector.get(), request, centroids));
  }

  /** The stored image bytes of {@code id}; empty when no document has that id. */
  Optional<byte[]> image(String id) throws IOException;

  /** The indexed vector of {@code id}; empty when no document has that id. */
  Optional<float[]> vector(String id) throws IOException;

  /**
   * Per shard number, the Kafka offset per {@code topic-partition} that the shard's visible commit
   * holds; empty when the backend does not record it.
   */
  default Map<Integer, Map<String, Long>> visibleOffsets() throws IOException {
    return Map.of();
  }

  /** Per cluster {@code 0..k-1}: its size and up to {@code samples} ids. */
  List<ClusterSample> clusters(int k, int samples) throws IOException;

  /** Documents, shards and commits as of the current point in time. */
  Snapshot snapshot() throws IOException;

  /** One cluster's size and sample ids. */
  record ClusterSample(int cluster, long size, List<String> sampleIds) {}

  /**
   * @param documents live documents
   * @param shards shards with at least one commit
   * @param lastCommitTime the newest commit's wall-clock time (epoch ms), or -1
   * @param lastCommitVisibleAt when the newest commit became readable (epoch ms; it was written
   *     after {@code lastCommitTime}), or -1
   */
  record Snapshot(long documents, int shards, long lastCommitTime, long lastCommitVisibleAt) {}
}
