package io.pixelstream.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CentroidsTest {

  @Test
  void nearestPicksTheClosestCentroid() {
    Centroids c = new Centroids(new float[][] {{0, 0}, {10, 0}, {0, 10}});
    assertThat(c.nearest(new float[] {1, 1})).isEqualTo(0);
    assertThat(c.nearest(new float[] {9, 2})).isEqualTo(1);
    assertThat(c.nearest(new float[] {-1, 7})).isEqualTo(2);
    assertThat(c.nearest(new float[] {5, 0})).as("tie goes to the lower index").isEqualTo(0);
  }

  @Test
  void refusesVectorsOfTheWrongLength() {
    Centroids c = new Centroids(new float[][] {{0, 0}});
    assertThatThrownBy(() -> c.nearest(new float[3])).hasMessageContaining("3 values");
    assertThatThrownBy(() -> new Centroids(new float[][] {{0, 0}, {1}}))
        .hasMessageContaining("centroid 1");
  }

  @Test
  void kMeansRecoversSeparatedBlobsAndIsReproducible() {
    float[][] centres = {{0, 0, 0}, {20, 0, 0}, {0, 20, 0}, {0, 0, 20}};
    Random random = new Random(5);
    float[][] points = new float[400][3];
    int[] truth = new int[400];
    for (int i = 0; i < points.length; i++) {
      truth[i] = i % 4;
      for (int d = 0; d < 3; d++) {
        points[i][d] = centres[truth[i]][d] + (float) random.nextGaussian();
      }
    }
    Centroids fit = KMeans.fit(points, 4, 100, 17);
    assertThat(fit.k()).isEqualTo(4);
    // every blob's points share one cluster, and different blobs get different clusters
    int[] clusterOfBlob = new int[4];
    for (int b = 0; b < 4; b++) {
      clusterOfBlob[b] = fit.nearest(centres[b]);
    }
    assertThat(clusterOfBlob).doesNotHaveDuplicates();
    for (int i = 0; i < points.length; i++) {
      assertThat(fit.nearest(points[i])).isEqualTo(clusterOfBlob[truth[i]]);
    }
    assertThat(KMeans.fit(points, 4, 100, 17).toArray()).isDeepEqualTo(fit.toArray());
  }
}
