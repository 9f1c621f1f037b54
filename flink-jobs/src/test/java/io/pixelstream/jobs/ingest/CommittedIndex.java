package io.pixelstream.jobs.ingest;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.core.search.VectorSearch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;

/**
 * What a reader sees of a model version's shards: only committed data, through the query API's
 * {@link LiveIndex} and {@link VectorSearch}. For tests.
 */
final class CommittedIndex implements AutoCloseable {

  private final LiveIndex index;
  private final IndexSearcher searcher;

  CommittedIndex(Path indexRoot, String version) throws IOException {
    this.index = LiveIndex.open(indexRoot, version);
    this.searcher = index.acquire();
  }

  /** Polls the committed shards until they hold {@code atLeast} documents; returns the count. */
  static int await(Path indexRoot, String version, int atLeast, java.time.Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int n = 0;
    while (System.nanoTime() < deadline) {
      try (CommittedIndex committed = new CommittedIndex(indexRoot, version)) {
        n = committed.numDocs();
      }
      if (n >= atLeast) {
        return n;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("only " + n + " of " + atLeast + " documents committed in " + timeout);
  }

  int shards() throws IOException {
    return index.shards().size();
  }

  int numDocs() {
    return searcher.getIndexReader().numDocs();
  }

  /** Stored fields of every live document, grouped by id (a list of more than one = duplicate). */
  Map<String, List<Document>> documentsById() throws IOException {
    Map<String, List<Document>> byId = new HashMap<>();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      var stored = leaf.reader().storedFields();
      for (int d = 0; d < leaf.reader().maxDoc(); d++) {
        if (live == null || live.get(d)) {
          Document doc = stored.document(d);
          byId.computeIfAbsent(doc.get(IndexFields.ID), k -> new ArrayList<>()).add(doc);
        }
      }
    }
    return byId;
  }

  /** The indexed vector of {@code id}, or null. */
  float[] vector(String id) throws IOException {
    return VectorSearch.vectorOf(searcher, id);
  }

  /** Top {@code k} ids by HNSW search over all shards, each segment's beam {@code candidates}. */
  List<String> knn(float[] query, int k, int candidates) throws IOException {
    return VectorSearch.search(
            searcher, query, new SearchRequest(k, SearchMode.HNSW, null, null, candidates), null)
        .hits()
        .stream()
        .map(SearchResult.Hit::id)
        .toList();
  }

  @Override
  public void close() throws IOException {
    try {
      index.release(searcher);
    } finally {
      index.close();
    }
  }
}
