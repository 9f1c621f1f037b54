package io.pixelstream.core.backend;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where an index's model versions live and which one is served: the seam between the query API or
 * the ingestion job (its sink and its backfill) and a storage engine. {@code
 * io.pixelstream.core.search.LuceneIndexBackend} keeps each version's Lucene shards under one index
 * root on disk.
 *
 * <pre>{@code
 * IndexBackend backend = new LuceneIndexBackend(indexRoot);
 * try (PinnedVersion served = backend.open(backend.servedVersion().orElseThrow())) {
 *   SearchResult top = served.search(vector, request, centroids);
 * }
 * }</pre>
 */
public interface IndexBackend extends Closeable {

  /**
   * The version queries are answered from.
   *
   * @param generation how many times the served version changed before: names the serving period
   */
  record Served(String version, long generation) {}

  /** The served version and its serving period; empty before any was served. */
  Optional<Served> served() throws IOException;

  /** The version queries are answered from; empty before any was served. */
  default Optional<String> servedVersion() throws IOException {
    return served().map(Served::version);
  }

  /** Opens {@code modelVersion}'s committed documents for searching (an empty version is fine). */
  PinnedVersion open(String modelVersion) throws IOException;

  /**
   * Serves {@code modelVersion} from now on; nothing changes when it is served already.
   *
   * @return the serving period now
   */
  long switchTo(String modelVersion) throws IOException;

  /**
   * Deletes the versions served before the current one beyond the {@code retain} most recent.
   *
   * @return the versions deleted
   */
  List<String> retain(int retain) throws IOException;

  /** How many shards {@code modelVersion} has now: 0 before any was created. */
  int shardCount(String modelVersion) throws IOException;

  /**
   * Opens shard {@code shard} of {@code shards} of {@code modelVersion} for writing, creating it if
   * needed. Ids are routed by shard count, so a version whose shards record another count is
   * refused, also while other writers are creating theirs.
   *
   * @param similarity the manifest's vector similarity (EUCLIDEAN, DOT_PRODUCT or COSINE)
   * @param dimension the manifest's embedding dimension (a backend with a schema, such as a
   *     SolrCloud collection, creates the version's vector field with it)
   * @throws IllegalStateException naming both counts
   */
  ShardSink openShard(String modelVersion, int shard, int shards, String similarity, int dimension)
      throws IOException;

  /**
   * Starts, or resumes after a restart, copying the served version into {@code target}, shard
   * {@code shard} of {@code shards} of a new version.
   *
   * @param ownSource the served version's shard with the same number, opened by the same writer,
   *     when the served version also has {@code shards} shards (the writer keeps deleting from it);
   *     null otherwise: every served shard is read and the ids routed to {@code shard} are copied
   */
  VersionCopy copy(
      Served from,
      int shard,
      int shards,
      ShardSink target,
      ShardSink ownSource,
      VersionCopy.Reembedder reembedder)
      throws IOException;

  /**
   * True when every one of {@code modelVersion}'s {@code shards} shards committed a finished copy.
   */
  boolean copied(String modelVersion, int shards, Served from) throws IOException;

  /** A stored image as ingested, and its label (null: none). */
  record StoredImage(String id, byte[] image, Integer label) {}

  /**
   * Up to {@code limit} of {@code modelVersion}'s committed images, in the backend's own stable
   * order: what a model is retrained on ({@link io.pixelstream.core.index.StoredImages}).
   */
  List<StoredImage> storedImages(String modelVersion, int limit) throws IOException;

  /** Releases the backend's connections (a SolrCloud client, say); nothing for files on disk. */
  @Override
  default void close() throws IOException {}
}
