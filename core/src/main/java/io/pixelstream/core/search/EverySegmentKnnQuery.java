package io.pixelstream.core.search;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnCollectorManager;

/**
 * Lucene's HNSW query with each segment's graph searched to its own end. Over several segments
 * Lucene 9.12 stops a segment's search early once its candidates cannot beat the best found in the
 * segments searched before it; that loses neighbours the full beam finds.
 */
final class EverySegmentKnnQuery extends KnnFloatVectorQuery {

  EverySegmentKnnQuery(String field, float[] target, int k, Query filter) {
    super(field, target, k, filter);
  }

  @Override
  protected KnnCollectorManager getKnnCollectorManager(int k, IndexSearcher searcher) {
    return (visitedLimit, context) -> new TopKnnCollector(k, visitedLimit);
  }
}
