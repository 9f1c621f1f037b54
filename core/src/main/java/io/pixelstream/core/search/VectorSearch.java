package io.pixelstream.core.search;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.index.IndexFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * Top-k nearest images over one searcher, three ways:
 *
 * <ul>
 *   <li>{@link SearchMode#HNSW}: Lucene's HNSW graphs, each segment's searched to the end of a beam
 *       of {@code candidates}, wider in segments of over 100,000 images ({@link
 *       EverySegmentKnnQuery}; more candidates, better recall, slower);
 *   <li>{@link SearchMode#CLUSTER}: the published method, the query's nearest k-means centroid
 *       picks one cluster and only that cluster is ranked, exactly, by the vectors' similarity;
 *   <li>{@link SearchMode#EXACT}: every live vector scored, the ground truth for recall.
 * </ul>
 *
 * Filters on cluster, label and near-duplicates are applied before ranking, so k results come back
 * whenever k documents match. Scores are Lucene's similarity scores ({@code 1 / (1 + d²)} for
 * Euclidean), so an image found by its own vector scores 1. Stateless and thread-safe.
 */
public final class VectorSearch {

  private VectorSearch() {}

  /**
   * Searches {@code searcher}.
   *
   * @param query the query embedding
   * @param request k, mode, filters and HNSW candidates
   * @param centroids the model's centroids; needed by {@link SearchMode#CLUSTER} only (else may be
   *     null)
   */
  public static SearchResult search(
      IndexSearcher searcher, float[] query, SearchRequest request, Centroids centroids)
      throws IOException {
    Integer predicted = request.predictedCluster(query, centroids);
    Integer cluster = request.clusterFilter(predicted);
    Query filter = filter(cluster, request.label(), request.excludeDuplicates());
    TopDocs top =
        switch (request.mode()) {
          case HNSW -> {
            int candidates = Math.max(request.k(), request.candidates());
            TopDocs found =
                searcher.search(
                    new EverySegmentKnnQuery(
                        IndexFields.VECTOR, query, candidates, request.k(), filter),
                    candidates);
            yield rescored(searcher, query, found, request.k());
          }
          case CLUSTER, EXACT -> exact(searcher, query, request.k(), filter);
        };
    List<SearchResult.Hit> hits = new ArrayList<>(top.scoreDocs.length);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    for (ScoreDoc sd : top.scoreDocs) {
      hits.add(hit(leaves.get(ReaderUtil.subIndex(sd.doc, leaves)), sd));
    }
    return new SearchResult(hits, predicted);
  }

  /**
   * The best {@code k} of the graph's candidates by exact similarity to the float vectors. A graph
   * over scalar-quantized vectors ({@code index.vector-format} INT8, INT4) ranks by approximate
   * distances; each candidate's float vector is kept beside the quantized one, and scoring the
   * candidates again with it restores the exact order (for float32 graphs it changes nothing). Each
   * segment's candidates are read in doc order, as its vector iterator moves forward only.
   */
  static TopDocs rescored(IndexSearcher searcher, float[] query, TopDocs found, int k)
      throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    ScoreDoc[] docs = found.scoreDocs.clone();
    java.util.Arrays.sort(docs, (a, b) -> Integer.compare(a.doc, b.doc));
    List<ScoreDoc> scored = new ArrayList<>(docs.length);
    FloatVectorValues values = null;
    VectorSimilarityFunction similarity = null;
    int leafIndex = -1;
    for (ScoreDoc sd : docs) {
      int at = ReaderUtil.subIndex(sd.doc, leaves);
      LeafReaderContext leaf = leaves.get(at);
      if (at != leafIndex) {
        leafIndex = at;
        values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
        similarity =
            leaf.reader()
                .getFieldInfos()
                .fieldInfo(IndexFields.VECTOR)
                .getVectorSimilarityFunction();
      }
      int local = sd.doc - leaf.docBase;
      if (values != null && values.docID() < local && values.advance(local) == local) {
        scored.add(new ScoreDoc(sd.doc, similarity.compare(query, values.vectorValue())));
      } else {
        scored.add(sd); // no float vector to read: keep the graph's score
      }
    }
    scored.sort(
        (a, b) ->
            a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    ScoreDoc[] best = scored.subList(0, Math.min(k, scored.size())).toArray(ScoreDoc[]::new);
    return new TopDocs(found.totalHits, best);
  }

  /**
   * A hit's id, cluster and label from doc values: no stored-field block to decompress, which would
   * cost more than the vector search itself.
   */
  private static SearchResult.Hit hit(LeafReaderContext leaf, ScoreDoc sd) throws IOException {
    int doc = sd.doc - leaf.docBase;
    SortedSetDocValues ids = DocValues.getSortedSet(leaf.reader(), IndexFields.ID);
    if (!ids.advanceExact(doc)) {
      throw new IllegalStateException("document " + sd.doc + " has no id");
    }
    String id = ids.lookupOrd(ids.nextOrd()).utf8ToString();
    return new SearchResult.Hit(
        id,
        sd.score,
        intValue(leaf, IndexFields.CLUSTER, doc),
        intValue(leaf, IndexFields.LABEL, doc));
  }

  private static Integer intValue(LeafReaderContext leaf, String field, int doc)
      throws IOException {
    SortedNumericDocValues values = DocValues.getSortedNumeric(leaf.reader(), field);
    return values.advanceExact(doc) ? (int) values.nextValue() : null;
  }

  /** The indexed vector of {@code id}, or null when no live document has that id. */
  public static float[] vectorOf(IndexSearcher searcher, String id) throws IOException {
    int doc = docOf(searcher, id);
    if (doc < 0) {
      return null;
    }
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
    int local = doc - leaf.docBase;
    if (values == null || values.advance(local) != local) {
      return null;
    }
    return values.vectorValue().clone();
  }

  /** The stored document of {@code id} (all stored fields), or null. */
  public static Document documentOf(IndexSearcher searcher, String id) throws IOException {
    int doc = docOf(searcher, id);
    return doc < 0 ? null : searcher.storedFields().document(doc);
  }

  /** The searcher-wide doc number of the live document with {@code id}, or -1. */
  private static int docOf(IndexSearcher searcher, String id) throws IOException {
    TopDocs top = searcher.search(new TermQuery(new Term(IndexFields.ID, id)), 1);
    return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
  }

  /** Brute force: every live (and filter-matching) vector scored, the best {@code k} kept. */
  static TopDocs exact(IndexSearcher searcher, float[] query, int k, Query filter)
      throws IOException {
    Weight weight =
        filter == null
            ? null
            : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1);
    PriorityQueue<ScoreDoc> best =
        new PriorityQueue<>(
            k + 1, (a, b) -> a.score != b.score ? Float.compare(a.score, b.score) : b.doc - a.doc);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(IndexFields.VECTOR);
      if (values == null || info == null) {
        continue;
      }
      VectorSimilarityFunction similarity = info.getVectorSimilarityFunction();
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator docs = values;
      if (weight != null) {
        Scorer scorer = weight.scorer(leaf);
        if (scorer == null) {
          continue;
        }
        docs = scorer.iterator();
      }
      for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        if (docs != values) {
          if (values.docID() < d) {
            values.advance(d);
          }
          if (values.docID() == DocIdSetIterator.NO_MORE_DOCS) {
            break;
          }
          if (values.docID() != d) {
            continue; // matches the filter but has no vector
          }
        }
        float score = similarity.compare(query, values.vectorValue());
        if (best.size() < k) {
          best.add(new ScoreDoc(leaf.docBase + d, score));
        } else if (score > best.peek().score) {
          best.poll();
          best.add(new ScoreDoc(leaf.docBase + d, score));
        }
      }
    }
    ScoreDoc[] sorted = new ScoreDoc[best.size()];
    for (int i = sorted.length - 1; i >= 0; i--) {
      sorted[i] = best.poll();
    }
    return new TopDocs(
        new org.apache.lucene.search.TotalHits(
            sorted.length, org.apache.lucene.search.TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO),
        sorted);
  }

  private static Query filter(Integer cluster, Integer label, boolean excludeDuplicates) {
    if (cluster == null && label == null && !excludeDuplicates) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (excludeDuplicates) {
      b.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
      b.add(new FieldExistsQuery(IndexFields.DUPLICATE_OF), BooleanClause.Occur.MUST_NOT);
    }
    if (cluster != null) {
      b.add(IntField.newExactQuery(IndexFields.CLUSTER, cluster), BooleanClause.Occur.FILTER);
    }
    if (label != null) {
      b.add(IntField.newExactQuery(IndexFields.LABEL, label), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }
}
