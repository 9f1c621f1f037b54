package io.pixelstream.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

class EverySegmentKnnQueryTest {

  private static final int SEGMENTS = 30;
  private static final int PER_SEGMENT = 200;
  private static final int K = 10;

  @Test
  void eachSegmentIsSearchedAsIfItWereAlone() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    try (Directory dir = index(random);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertThat(reader.leaves()).hasSize(SEGMENTS);
      IndexSearcher searcher = new IndexSearcher(reader);
      int prunedDiffers = 0;
      for (int q = 0; q < 50; q++) {
        float[] query = vector(random);
        List<Integer> alone = eachLeafAlone(reader, query);
        List<Integer> every =
            docs(searcher.search(new EverySegmentKnnQuery("v", query, K, K, null), K));
        assertThat(every).as("query %d", q).isEqualTo(alone);
        List<Integer> pruned = docs(searcher.search(new KnnFloatVectorQuery("v", query, K), K));
        if (!pruned.equals(alone)) {
          prunedDiffers++;
        }
      }
      // the data is such that Lucene's early stop across segments changes answers
      assertThat(prunedDiffers).isPositive();
    }
  }

  @Test
  void theBeamGrowsWithSegmentsBeyondAHundredThousandVectors() {
    assertThat(EverySegmentKnnQuery.beam(30, 1)).isEqualTo(30);
    assertThat(EverySegmentKnnQuery.beam(30, 100_000)).isEqualTo(30);
    assertThat(EverySegmentKnnQuery.beam(30, 1_000_000)).isEqualTo(60);
    assertThat(EverySegmentKnnQuery.beam(30, 10_000_000)).isEqualTo(90);
    assertThat(EverySegmentKnnQuery.beam(10, 316_228)).isEqualTo(15);
  }

  @Test
  void theBeamShrinksToTheWantedResultsInSegmentsWithLittleOfTheIndex() {
    assertThat(EverySegmentKnnQuery.beam(30, 10, 100_000, 100_000)).isEqualTo(30);
    assertThat(EverySegmentKnnQuery.beam(30, 10, 100_000, 1_000_000)).isEqualTo(30);
    assertThat(EverySegmentKnnQuery.beam(30, 10, 1_000_000, 1_000_000)).isEqualTo(60);
    assertThat(EverySegmentKnnQuery.beam(30, 10, 31_623, 1_000_000)).isEqualTo(15);
    assertThat(EverySegmentKnnQuery.beam(30, 10, 10_000, 1_000_000)).isEqualTo(10);
    assertThat(EverySegmentKnnQuery.beam(30, 10, 100, 1_000_000)).isEqualTo(10);
    assertThat(EverySegmentKnnQuery.beam(30, 20, 100, 1_000_000)).isEqualTo(20);
    assertThat(EverySegmentKnnQuery.beam(30, 10, 0, 0)).isEqualTo(10);
  }

  @Test
  void aSmallSegmentBesideALargeOneStillGivesItsBest() throws IOException {
    // the best match of every query lies in the small segment: its narrower beam must still find it
    SplittableRandom random = new SplittableRandom(11);
    try (Directory dir = new ByteBuffersDirectory()) {
      List<float[]> small = new ArrayList<>();
      try (IndexWriter w =
          new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
        for (int i = 0; i < 5_000; i++) {
          w.addDocument(doc(vector(random)));
        }
        w.commit();
        for (int i = 0; i < 50; i++) {
          float[] v = vector(random);
          small.add(v);
          w.addDocument(doc(v));
        }
        w.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertThat(reader.leaves()).hasSize(2);
        int firstOfSmall = reader.leaves().get(1).docBase;
        assertThat(EverySegmentKnnQuery.beam(30, K, 50, reader.maxDoc())).isEqualTo(K);
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int q = 0; q < small.size(); q++) {
          List<Integer> found =
              docs(searcher.search(new EverySegmentKnnQuery("v", small.get(q), 30, K, null), 30));
          assertThat(found.get(0)).as("query %d", q).isEqualTo(firstOfSmall + q);
        }
      }
    }
  }

  /** The best K over every segment searched by a searcher of its own (nothing to stop early). */
  private static List<Integer> eachLeafAlone(DirectoryReader reader, float[] query)
      throws IOException {
    List<ScoreDoc> all = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      IndexSearcher alone = new IndexSearcher(leaf.reader());
      for (ScoreDoc sd : alone.search(new KnnFloatVectorQuery("v", query, K), K).scoreDocs) {
        all.add(new ScoreDoc(sd.doc + leaf.docBase, sd.score));
      }
    }
    all.sort(Comparator.comparingDouble((ScoreDoc sd) -> -sd.score).thenComparingInt(sd -> sd.doc));
    return all.subList(0, K).stream().map(sd -> sd.doc).toList();
  }

  private static List<Integer> docs(TopDocs top) {
    return Arrays.stream(top.scoreDocs).map(sd -> sd.doc).toList();
  }

  private static Directory index(SplittableRandom random) throws IOException {
    Directory dir = new ByteBuffersDirectory();
    try (IndexWriter writer =
        new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
      for (int s = 0; s < SEGMENTS; s++) {
        for (int i = 0; i < PER_SEGMENT; i++) {
          writer.addDocument(doc(vector(random)));
        }
        writer.flush();
      }
    }
    return dir;
  }

  private static Document doc(float[] vector) {
    Document doc = new Document();
    doc.add(new KnnFloatVectorField("v", vector, VectorSimilarityFunction.EUCLIDEAN));
    return doc;
  }

  private static float[] vector(SplittableRandom random) {
    float[] v = new float[16];
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) random.nextDouble(-1, 1);
    }
    return v;
  }
}
