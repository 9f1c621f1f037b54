package io.pixelstream.core.search;

/**
 * What to search for, besides the query vector.
 *
 * @param k results wanted, >= 1
 * @param mode how to rank
 * @param cluster only documents of this cluster, or null; not with {@link SearchMode#CLUSTER},
 *     which picks the cluster itself
 * @param label only documents with this label, or null
 * @param candidates HNSW beam per segment ({@link SearchMode#HNSW}); raised to k when smaller
 */
public record SearchRequest(
    int k, SearchMode mode, Integer cluster, Integer label, int candidates) {

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
}
