package io.pixelstream.core.search;

import java.util.List;

/**
 * A search's hits, best first, and the cluster the query was assigned to ({@link
 * SearchMode#CLUSTER} only, else null).
 */
public record SearchResult(List<Hit> hits, Integer queryCluster) {

  public SearchResult {
    hits = List.copyOf(hits);
  }

  /** One result: the image id, its similarity score, cluster and label (null when unlabelled). */
  public record Hit(String id, float score, int cluster, Integer label) {}
}
