package io.pixelstream.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ProjectionsTest {

  /** {@code k} Gaussian blobs of {@code per} points in {@code dim} dimensions, far apart. */
  private static float[][] blobs(int k, int per, int dim, long seed) {
    Random random = new Random(seed);
    float[][] centres = new float[k][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) (random.nextGaussian() * 10);
      }
    }
    float[][] x = new float[k * per][dim];
    for (int i = 0; i < x.length; i++) {
      for (int d = 0; d < dim; d++) {
        x[i][d] = centres[i / per][d] + (float) random.nextGaussian();
      }
    }
    return x;
  }

  /** Share of points whose nearest other point in {@code xy} is in the same blob. */
  private static double neighbourAgreement(double[][] xy, int per) {
    int agree = 0;
    for (int i = 0; i < xy.length; i++) {
      int best = -1;
      double bestD = Double.MAX_VALUE;
      for (int j = 0; j < xy.length; j++) {
        double dx = xy[i][0] - xy[j][0];
        double dy = xy[i][1] - xy[j][1];
        if (j != i && dx * dx + dy * dy < bestD) {
          bestD = dx * dx + dy * dy;
          best = j;
        }
      }
      agree += best / per == i / per ? 1 : 0;
    }
    return agree / (double) xy.length;
  }

  @Test
  void pcaFindsTheDirectionOfMostVariance() {
    Random random = new Random(3);
    float[][] x = new float[400][3];
    for (float[] v : x) {
      v[0] = (float) random.nextGaussian(); // small
      v[1] = (float) (random.nextGaussian() * 10); // largest: the first component
      v[2] = (float) (random.nextGaussian() * 3); // second
    }
    double[][] xy = Projections.pca(x);
    double corr1 = 0;
    double corr2 = 0;
    for (int i = 0; i < x.length; i++) {
      corr1 += xy[i][0] * x[i][1];
      corr2 += xy[i][1] * x[i][2];
    }
    double var1 = 0;
    double var2 = 0;
    for (double[] p : xy) {
      var1 += p[0] * p[0];
      var2 += p[1] * p[1];
    }
    assertThat(var1 / x.length).isGreaterThan(80).isLessThan(120);
    assertThat(var2 / x.length).isGreaterThan(7).isLessThan(11);
    assertThat(Math.abs(corr1) / x.length).isGreaterThan(90);
    assertThat(Math.abs(corr2) / x.length).isGreaterThan(7);
  }

  @Test
  void tsneKeepsNeighboursTogether() {
    float[][] x = blobs(5, 40, 16, 11);
    double[][] xy = Projections.tsne(x, 7);
    assertThat(xy).hasNumberOfRows(200);
    assertThat(neighbourAgreement(xy, 40)).isGreaterThan(0.97);
  }

  @Test
  void tsneStaysBoundedOnAReportSizedSet() {
    float[][] x = blobs(10, TrainingReport.PROJECTED / 10, 16, 13);
    double[][] xy = Projections.tsne(x, 7);
    double extent = 0;
    for (double[] p : xy) {
      extent = Math.max(extent, Math.max(Math.abs(p[0]), Math.abs(p[1])));
    }
    assertThat(extent).isLessThan(500); // a fixed learning rate of 200 threw points to ±20,000
    assertThat(neighbourAgreement(xy, TrainingReport.PROJECTED / 10)).isGreaterThan(0.95);
  }

  @Test
  void tsneIsRepeatableWithItsSeed() {
    float[][] x = blobs(3, 20, 8, 5);
    assertThat(Projections.tsne(x, 1)).isDeepEqualTo(Projections.tsne(x, 1));
  }

  @Test
  void affinitiesHaveTheAskedPerplexityAndSumToOne() {
    float[][] x = blobs(2, 30, 4, 9);
    double[][] d = new double[60][60];
    for (int i = 0; i < 60; i++) {
      for (int j = 0; j < 60; j++) {
        for (int k = 0; k < 4; k++) {
          d[i][j] += (x[i][k] - x[j][k]) * (x[i][k] - x[j][k]);
        }
      }
    }
    double[][] p = Tsne.affinities(d, 10);
    double sum = 0;
    for (int i = 0; i < 60; i++) {
      for (int j = 0; j < 60; j++) {
        sum += p[i][j];
        assertThat(p[i][j]).isEqualTo(p[j][i]);
      }
    }
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThatThrownBy(() -> Tsne.embed(x, 60, 10, 1)).hasMessageContaining("perplexity");
  }
}
