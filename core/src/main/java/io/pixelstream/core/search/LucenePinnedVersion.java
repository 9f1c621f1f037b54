package io.pixelstream.core.search;

import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.index.CommitOffsets;
import io.pixelstream.core.index.ImageDocuments;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntField;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

/**
 * {@link PinnedVersion} over the Lucene shards of one version on disk ({@link LiveIndex}); each
 * call acquires one searcher, so it answers from one refresh.
 */
public final class LucenePinnedVersion implements PinnedVersion {

  private final LiveIndex index;

  private LucenePinnedVersion(LiveIndex index) {
    this.index = index;
  }

  /** Opens {@code modelVersion}'s committed shards under {@code indexRoot} (none is fine). */
  public static LucenePinnedVersion open(Path indexRoot, String modelVersion) throws IOException {
    return open(indexRoot, modelVersion, null);
  }

  /** As above, searching segments in parallel on {@code segmentSearch} (null: in the caller). */
  public static LucenePinnedVersion open(
      Path indexRoot, String modelVersion, Executor segmentSearch) throws IOException {
    return new LucenePinnedVersion(LiveIndex.open(indexRoot, modelVersion, segmentSearch));
  }

  @FunctionalInterface
  private interface SearcherCall<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherCall<T> call) throws IOException {
    IndexSearcher s = index.acquire();
    try {
      return call.apply(s);
    } finally {
      index.release(s);
    }
  }

  @Override
  public String modelVersion() {
    return index.modelVersion();
  }

  @Override
  public boolean refresh() throws IOException {
    return index.maybeRefresh();
  }

  @Override
  public SearchResult search(float[] query, SearchRequest request, Centroids centroids)
      throws IOException {
    return withSearcher(s -> VectorSearch.search(s, query, request, centroids));
  }

  @Override
  public Optional<SearchResult> searchById(String id, SearchRequest request, Centroids centroids)
      throws IOException {
    return withSearcher(
        s -> {
          float[] vector = VectorSearch.vectorOf(s, id);
          return vector == null
              ? Optional.empty()
              : Optional.of(VectorSearch.search(s, vector, request, centroids));
        });
  }

  @Override
  public Optional<byte[]> image(String id) throws IOException {
    return withSearcher(
        s -> {
          Document doc = VectorSearch.documentOf(s, id);
          return Optional.ofNullable(doc == null ? null : ImageDocuments.imageBytes(doc));
        });
  }

  @Override
  public Optional<float[]> vector(String id) throws IOException {
    return withSearcher(s -> Optional.ofNullable(VectorSearch.vectorOf(s, id)));
  }

  @Override
  public Map<Integer, Map<String, Long>> visibleOffsets() throws IOException {
    Map<Integer, Map<String, Long>> out = new HashMap<>();
    for (LiveIndex.ShardState shard : index.shards()) {
      out.put(
          IndexLayout.shardNumber(shard.name()),
          CommitOffsets.parse(shard.commitData().get(IndexFields.COMMIT_SOURCE_OFFSETS)));
    }
    return out;
  }

  @Override
  public List<ClusterSample> clusters(int k, int samples) throws IOException {
    return withSearcher(
        s -> {
          List<ClusterSample> out = new ArrayList<>(k);
          for (int c = 0; c < k; c++) {
            Query query = IntField.newExactQuery(IndexFields.CLUSTER, c);
            List<String> ids = new ArrayList<>();
            for (ScoreDoc sd : s.search(query, Math.max(1, samples)).scoreDocs) {
              if (ids.size() < samples) {
                ids.add(
                    s.storedFields().document(sd.doc, Set.of(IndexFields.ID)).get(IndexFields.ID));
              }
            }
            out.add(new ClusterSample(c, s.count(query), ids));
          }
          return out;
        });
  }

  @Override
  public Snapshot snapshot() throws IOException {
    List<LiveIndex.ShardState> shards = index.shards();
    long docs = shards.stream().mapToLong(LiveIndex.ShardState::documents).sum();
    long lastCommit = shards.stream().mapToLong(LiveIndex.ShardState::commitTime).max().orElse(-1);
    long visibleAt = shards.stream().mapToLong(LiveIndex.ShardState::writtenAt).max().orElse(-1);
    return new Snapshot(docs, shards.size(), lastCommit, visibleAt);
  }

  @Override
  public void close() throws IOException {
    index.close();
  }
}
