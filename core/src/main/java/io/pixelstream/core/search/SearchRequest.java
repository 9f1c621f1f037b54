package io.pixelstream.core.search;

import io.pixelstream.core.cluster.Centroids;

/**
 * What to search for, besides the query vector.
 *
 * @param k results wanted, >= 1
 * @param mode how to rank
 * @param cluster only documents of this cluster, or null; not with {@link SearchMode#CLUSTER},
 *     which picks the cluster itself
 * @param label only documents with this label, or null
 * @param candidates HNSW beam per segment ({@link SearchMode#HNSW}), wider in segments of over
 *     100,000 images; raised to k when smaller
 * @param excludeDuplicates leave out images tagged as near-copies at ingest ({@code duplicateOf})
 */
public record SearchRequest(
    int k,
    SearchMode mode,
    Integer cluster,
    Integer label,
    int candidates,
    boolean excludeDuplicates) {

  /**
   * Candidates per segment unless a request says otherwise. Each segment's graph is searched to its
   * own end ({@link EverySegmentKnnQuery}), so recall holds as segments pile up: at 1,000,000
   * streamed images in 39-50 segments, 30 candidates found 0.9843-0.9893 of the exact top 10 where
   * Lucene's cross-segment early stop with 40 found 0.9530 (docs/benchmarks.md).
   */
  public static final int DEFAULT_CANDIDATES = 30;

  /** A request that keeps near-duplicates. */
  public SearchRequest(int k, SearchMode mode, Integer cluster, Integer label, int candidates) {
    this(k, mode, cluster, label, candidates, false);
  }

  public SearchRequest {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    if (mode == SearchMode.CLUSTER && cluster != null) {
      throw new IllegalArgumentException(
          "cluster= cannot be combined with mode=cluster, which picks the query's cluster");
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
    }
  }

  /** This request with {@code k} results wanted. */
  public SearchRequest withK(int k) {
    return new SearchRequest(k, mode, cluster, label, candidates, excludeDuplicates);
  }

  /**
   * The cluster a {@link SearchMode#CLUSTER} search ranks: the query's nearest centroid; null in
   * the other modes.
   */
  public Integer predictedCluster(float[] query, Centroids centroids) {
    if (mode != SearchMode.CLUSTER) {
      return null;
    }
    if (centroids == null) {
      throw new IllegalArgumentException("mode=cluster needs the model's centroids");
    }
    return centroids.nearest(query);
  }

  /** The cluster the results must be in: {@code predicted}, else the {@code cluster} filter. */
  public Integer clusterFilter(Integer predicted) {
    return predicted != null ? predicted : cluster;
  }
}
