package io.pixelstream.core.search;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where an index's model versions live and which one is served: the seam between the query API or
 * the ingestion job and a storage engine. {@link LuceneIndexBackend} keeps each version's Lucene
 * shards under one index root on disk.
 *
 * <pre>{@code
 * IndexBackend backend = new LuceneIndexBackend(indexRoot);
 * try (PinnedVersion served = backend.open(backend.servedVersion().orElseThrow())) {
 *   SearchResult top = served.search(vector, request, centroids);
 * }
 * }</pre>
 */
public interface IndexBackend {

  /** The version queries are answered from; empty before any was served. */
  Optional<String> servedVersion() throws IOException;

  /** Opens {@code modelVersion}'s committed documents for searching (an empty version is fine). */
  PinnedVersion open(String modelVersion) throws IOException;

  /**
   * Serves {@code modelVersion} from now on; nothing changes when it is served already.
   *
   * @return how many times the served version changed so far: one number per serving period
   */
  long switchTo(String modelVersion) throws IOException;

  /**
   * Deletes the versions served before the current one beyond the {@code retain} most recent.
   *
   * @return the versions deleted
   */
  List<String> retain(int retain) throws IOException;
}
