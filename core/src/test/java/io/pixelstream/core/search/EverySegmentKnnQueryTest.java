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
            docs(searcher.search(new EverySegmentKnnQuery("v", query, K, null), K));
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
          Document doc = new Document();
          doc.add(new KnnFloatVectorField("v", vector(random), VectorSimilarityFunction.EUCLIDEAN));
          writer.addDocument(doc);
        }
        writer.flush();
      }
    }
    return dir;
  }

  private static float[] vector(SplittableRandom random) {
    float[] v = new float[16];
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) random.nextDouble(-1, 1);
    }
    return v;
  }
}
