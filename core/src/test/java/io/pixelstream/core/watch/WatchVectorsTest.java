package io.pixelstream.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;

class WatchVectorsTest {

  private static final int DIM = 64;

  private static float[] random(Random r, boolean unit, double scale) {
    float[] v = new float[DIM];
    double sum = 0;
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) (r.nextGaussian() * scale);
      sum += v[d] * v[d];
    }
    if (unit) {
      for (int d = 0; d < DIM; d++) {
        v[d] /= (float) Math.sqrt(sum);
      }
    }
    return v;
  }

  @Test
  void theBoundIsNeverBelowTheExactScoreEvenForNearCopies() {
    Random r = new Random(11);
    for (VectorSimilarityFunction f :
        List.of(
            VectorSimilarityFunction.EUCLIDEAN,
            VectorSimilarityFunction.DOT_PRODUCT,
            VectorSimilarityFunction.COSINE)) {
      boolean unit = f == VectorSimilarityFunction.DOT_PRODUCT;
      List<float[]> watches = new ArrayList<>();
      for (int j = 0; j < 500; j++) {
        watches.add(random(r, unit, 10));
      }
      WatchVectors scorer = new WatchVectors(watches, f);
      for (int q = 0; q < 200; q++) {
        float[] query =
            q % 2 == 0
                ? random(r, unit, 10)
                : watches.get(r.nextInt(watches.size())).clone(); // a copy: d = 0
        if (q % 4 == 1) {
          query[r.nextInt(DIM)] += 1e-3f; // a near-copy
        }
        scorer.score(query);
        double norm = WatchVectors.norm(query);
        for (int j = 0; j < watches.size(); j++) {
          assertThat(scorer.upperBound(j, norm))
              .as("%s query %d watch %d", f, q, j)
              .isGreaterThanOrEqualTo(f.compare(query, watches.get(j)));
        }
      }
    }
  }

  @Test
  void standingWatchesMatchExactlyWhatLuceneScoresAtTheThreshold() {
    Random r = new Random(5);
    List<float[]> vectors = new ArrayList<>();
    for (int j = 0; j < 300; j++) {
      vectors.add(random(r, false, 3));
    }
    StandingWatches.Models models =
        new StandingWatches.Models() {
          @Override
          public String similarity(String version) {
            return "EUCLIDEAN";
          }

          @Override
          public float[][] embed(String version, List<byte[]> images) {
            return images.stream()
                .map(b -> vectors.get(((b[0] & 0xff) << 8) | (b[1] & 0xff)))
                .toArray(float[][]::new);
          }
        };
    StandingWatches watches = new StandingWatches(models);
    float[] query = random(r, false, 3);
    VectorSimilarityFunction f = VectorSimilarityFunction.EUCLIDEAN;
    for (int j = 0; j < vectors.size(); j++) {
      // thresholds at the exact score of some watches (ties match), just above for others
      double exact = f.compare(query, vectors.get(j));
      double threshold = j % 3 == 0 ? exact : j % 3 == 1 ? Math.nextUp((float) exact) : exact / 2;
      watches.put(
          new Watch(
              "w" + j, "n", new byte[] {(byte) (j >> 8), (byte) j}, null, threshold, null, 1L));
    }
    List<String> expected = new ArrayList<>();
    for (int j = 0; j < vectors.size(); j++) {
      if (j % 3 != 1) {
        expected.add("w" + j);
      }
    }
    assertThat(watches.match(query, "v1"))
        .extracting(m -> m.watch().id())
        .containsExactlyElementsOf(expected);
  }
}
