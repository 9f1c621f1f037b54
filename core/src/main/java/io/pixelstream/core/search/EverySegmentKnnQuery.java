package io.pixelstream.core.search;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnCollectorManager;

/**
 * Lucene's HNSW query with each segment's graph searched to the end of a beam of its own. Over
 * several segments Lucene 9.12 stops a segment's search early once its candidates cannot beat the
 * best found in the segments searched before it, which loses neighbours the full beam finds. The
 * beam is {@code candidates} for a segment of up to {@link #BEAM_REFERENCE_DOCS} vectors and grows
 * by {@code candidates} for each tenfold beyond (60 of 30 at 1,000,000): in a larger graph the same
 * beam finds fewer of the true nearest (docs/benchmarks.md).
 */
final class EverySegmentKnnQuery extends KnnFloatVectorQuery {

  /** Segments up to this many vectors are searched with the query's own candidates. */
  static final int BEAM_REFERENCE_DOCS = 100_000;

  EverySegmentKnnQuery(String field, float[] target, int candidates, Query filter) {
    super(field, target, candidates, filter);
  }

  @Override
  protected KnnCollectorManager getKnnCollectorManager(int k, IndexSearcher searcher) {
    return (visitedLimit, context) ->
        new TopKnnCollector(beam(k, context.reader().maxDoc()), visitedLimit);
  }

  /** The beam for a segment of {@code docs} vectors searched with {@code candidates}. */
  static int beam(int candidates, int docs) {
    double tenfolds = Math.log10((double) docs / BEAM_REFERENCE_DOCS);
    return (int) Math.round(candidates * Math.max(1, 1 + tenfolds));
  }
}
