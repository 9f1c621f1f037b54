package io.pixelstream.core.fresh;

import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * A {@link PinnedVersion} that also answers for the images its version's shards have not published
 * yet ({@link FreshImages}): a held image is found by id and ranked by exact similarity beside the
 * index's hits; a held record of an id replaces the index's document of that id (a newer image, or
 * a tombstone that hides it). Each {@link #refresh} that opens new commits drops the records they
 * hold. Cluster sizes, samples and the snapshot are the index's alone. Thread-safe.
 */
public final class FreshOverlay implements PinnedVersion {

  private final PinnedVersion index;
  private final FreshImages fresh;
  private final VectorSimilarityFunction similarity;

  /**
   * @param similarity the version's vector similarity, as its manifest names it ({@code EUCLIDEAN},
   *     {@code COSINE}, ...)
   */
  public FreshOverlay(PinnedVersion index, FreshImages fresh, String similarity) {
    this.index = index;
    this.fresh = fresh;
    this.similarity = VectorSimilarityFunction.valueOf(similarity);
  }

  @Override
  public String modelVersion() {
    return index.modelVersion();
  }

  @Override
  public boolean refresh() throws IOException {
    boolean changed = index.refresh();
    if (changed) {
      fresh.evict(index.visibleOffsets());
    }
    return changed;
  }

  @Override
  public SearchResult search(float[] query, SearchRequest request, Centroids centroids)
      throws IOException {
    // held records first: a refresh opens the new searcher before it drops what that holds
    FreshImages.View held = fresh.view(modelVersion());
    SearchResult indexed = index.search(query, request, centroids);
    if (held.ids().isEmpty()) {
      return indexed;
    }
    List<SearchResult.Hit> kept = unheld(indexed, held);
    int replaced = indexed.hits().size() - kept.size();
    if (replaced > 0 && indexed.hits().size() == request.k()) {
      // held records replaced some of the index's k best: ask the index for as many more
      kept = unheld(index.search(query, request.withK(request.k() + replaced), centroids), held);
    }
    Integer cluster = request.clusterFilter(indexed.queryCluster());
    List<SearchResult.Hit> merged = new ArrayList<>(kept);
    merged.addAll(
        FreshImages.search(
            held.live(),
            query,
            request.k(),
            cluster,
            request.label(),
            request.excludeDuplicates(),
            similarity));
    merged.sort(FreshImages::bestFirst);
    return new SearchResult(
        merged.subList(0, Math.min(request.k(), merged.size())), indexed.queryCluster());
  }

  private static List<SearchResult.Hit> unheld(SearchResult indexed, FreshImages.View held) {
    return indexed.hits().stream().filter(h -> !held.ids().contains(h.id())).toList();
  }

  @Override
  public Optional<byte[]> image(String id) throws IOException {
    Optional<FreshImage> held = fresh.get(modelVersion(), id);
    if (held.isPresent()) {
      return held.get().deleted() ? Optional.empty() : Optional.of(held.get().image());
    }
    return index.image(id);
  }

  @Override
  public Optional<float[]> vector(String id) throws IOException {
    Optional<FreshImage> held = fresh.get(modelVersion(), id);
    if (held.isPresent()) {
      return held.get().deleted() ? Optional.empty() : Optional.of(held.get().vector().clone());
    }
    return index.vector(id);
  }

  @Override
  public List<ClusterSample> clusters(int k, int samples) throws IOException {
    return index.clusters(k, samples);
  }

  @Override
  public Snapshot snapshot() throws IOException {
    return index.snapshot();
  }

  @Override
  public Map<Integer, Map<String, Long>> visibleOffsets() throws IOException {
    return index.visibleOffsets();
  }

  @Override
  public void close() throws IOException {
    index.close();
  }
}
