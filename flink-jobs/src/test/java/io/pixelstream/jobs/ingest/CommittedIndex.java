package io.pixelstream.jobs.ingest;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/** What a reader sees of a model version's shards: only committed data. For tests. */
final class CommittedIndex implements AutoCloseable {

  record Hit(String id, float score) {}

  private final List<DirectoryReader> readers = new ArrayList<>();

  CommittedIndex(Path indexRoot, String version) throws IOException {
    for (Path shard : new IndexLayout(indexRoot).shardDirs(version)) {
      FSDirectory dir = FSDirectory.open(shard);
      if (DirectoryReader.indexExists(dir)) {
        readers.add(DirectoryReader.open(dir));
      }
    }
  }

  int shards() {
    return readers.size();
  }

  int numDocs() {
    return readers.stream().mapToInt(DirectoryReader::numDocs).sum();
  }

  /** Stored fields of every live document, grouped by id (a list of more than one = duplicate). */
  Map<String, List<Document>> documentsById() throws IOException {
    Map<String, List<Document>> byId = new HashMap<>();
    for (DirectoryReader reader : readers) {
      for (LeafReaderContext leaf : reader.leaves()) {
        Bits live = leaf.reader().getLiveDocs();
        var stored = leaf.reader().storedFields();
        for (int d = 0; d < leaf.reader().maxDoc(); d++) {
          if (live == null || live.get(d)) {
            Document doc = stored.document(d);
            byId.computeIfAbsent(doc.get(IndexFields.ID), k -> new ArrayList<>()).add(doc);
          }
        }
      }
    }
    return byId;
  }

  /** The indexed vector of {@code id}, or null. */
  float[] vector(String id) throws IOException {
    for (DirectoryReader reader : readers) {
      TopDocs top =
          new IndexSearcher(reader).search(new TermQuery(new Term(IndexFields.ID, id)), 1);
      if (top.scoreDocs.length == 0) {
        continue;
      }
      int doc = top.scoreDocs[0].doc;
      LeafReaderContext leaf =
          reader.leaves().get(org.apache.lucene.index.ReaderUtil.subIndex(doc, reader.leaves()));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
      if (values.advance(doc - leaf.docBase) == doc - leaf.docBase) {
        return values.vectorValue().clone();
      }
    }
    return null;
  }

  /**
   * Top {@code k} over all shards by HNSW search, best first; each shard's search keeps {@code
   * candidates} (at least k) in its beam, as a query service would.
   */
  List<Hit> knn(float[] query, int k, int candidates) throws IOException {
    List<Hit> hits = new ArrayList<>();
    for (DirectoryReader reader : readers) {
      IndexSearcher searcher = new IndexSearcher(reader);
      for (ScoreDoc sd :
          searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, query, candidates), k)
              .scoreDocs) {
        hits.add(new Hit(searcher.storedFields().document(sd.doc).get(IndexFields.ID), sd.score));
      }
    }
    hits.sort(Comparator.comparing(Hit::score).reversed());
    return hits.subList(0, Math.min(k, hits.size()));
  }

  @Override
  public void close() throws IOException {
    for (DirectoryReader r : readers) {
      r.close();
    }
  }
}
