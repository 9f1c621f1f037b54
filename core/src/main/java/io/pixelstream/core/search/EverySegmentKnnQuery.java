package io.pixelstream.core.search;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnCollectorManager;

/**
 * Lucene's HNSW query with each segment's graph searched to the end of a beam of its own. Over
 * several segments Lucene 9.12 stops a segment's search early once its candidates cannot beat the
 * best found in the segments searched before it, which loses neighbours the full beam finds.
 *
 * <p>The beam is {@code candidates} for a segment of up to {@link #BEAM_REFERENCE_DOCS} vectors and
 * grows by {@code candidates} for each tenfold beyond (60 of 30 at 1,000,000): in a larger graph
 * the same beam finds fewer of the true nearest. It shrinks in a segment that holds less than a
 * tenth of the searcher's vectors, by {@code candidates} for each tenfold less, down to the {@code
 * wanted} results: such a segment holds few of the true nearest, and a streamed index has many of
 * them (docs/benchmarks.md).
 */
final class EverySegmentKnnQuery extends KnnFloatVectorQuery {

  /** Segments up to this many vectors are searched with the query's own candidates. */
  static final int BEAM_REFERENCE_DOCS = 100_000;

  private final int wanted;

  /**
   * @param candidates the beam of a segment that holds a tenth of the vectors or more (Lucene's k)
   * @param wanted the results the caller keeps: no segment's beam is narrower
   */
  EverySegmentKnnQuery(String field, float[] target, int candidates, int wanted, Query filter) {
    super(field, target, candidates, filter);
    this.wanted = wanted;
  }

  @Override
  protected KnnCollectorManager getKnnCollectorManager(int k, IndexSearcher searcher) {
    int total = searcher.getIndexReader().maxDoc();
    return (visitedLimit, context) ->
        new TopKnnCollector(beam(k, wanted, context.reader().maxDoc(), total), visitedLimit);
  }

  /** The beam for a segment of {@code docs} of the searcher's {@code totalDocs} vectors. */
  static int beam(int candidates, int wanted, int docs, int totalDocs) {
    double share = (double) docs / Math.max(1, totalDocs);
    double factor = Math.min(1, Math.max(0, 1 + Math.log10(share * 10)));
    return Math.max(wanted, (int) Math.round(beam(candidates, docs) * factor));
  }

  /** The beam for a segment of {@code docs} vectors, before its share of the searcher. */
  static int beam(int candidates, int docs) {
    double tenfolds = Math.log10((double) docs / BEAM_REFERENCE_DOCS);
    return (int) Math.round(candidates * Math.max(1, 1 + tenfolds));
  }
}
