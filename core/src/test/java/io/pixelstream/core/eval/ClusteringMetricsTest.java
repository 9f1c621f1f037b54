package io.pixelstream.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClusteringMetricsTest {

  @Test
  void identicalPartitionsScoreOneWhateverTheNames() {
    int[] truth = {0, 0, 1, 1, 2, 2};
    int[] renamed = {5, 5, 3, 3, 9, 9};
    assertThat(ClusteringMetrics.nmi(truth, renamed)).isCloseTo(1.0, within(1e-12));
    assertThat(ClusteringMetrics.randIndex(truth, renamed)).isCloseTo(1.0, within(1e-12));
    assertThat(ClusteringMetrics.adjustedRandIndex(truth, renamed)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void matchesHandComputedValues() {
    // scikit-learn: normalized_mutual_info_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.5158037429793889
    //               adjusted_rand_score(...) = 0.24242424242424246, rand_score(...) =
    // 0.6666666666666666
    int[] truth = {0, 0, 0, 1, 1, 1};
    int[] pred = {0, 0, 1, 1, 2, 2};
    assertThat(ClusteringMetrics.nmi(truth, pred)).isCloseTo(0.5158037429793889, within(1e-12));
    assertThat(ClusteringMetrics.randIndex(truth, pred)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(ClusteringMetrics.adjustedRandIndex(truth, pred))
        .isCloseTo(0.24242424242424246, within(1e-12));
  }

  @Test
  void randomAssignmentScoresNearZeroAdjusted() {
    java.util.Random random = new java.util.Random(1);
    int[] truth = new int[5000];
    int[] pred = new int[5000];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = i % 10;
      pred[i] = random.nextInt(10);
    }
    assertThat(ClusteringMetrics.adjustedRandIndex(truth, pred)).isCloseTo(0, within(0.01));
    assertThat(ClusteringMetrics.nmi(truth, pred)).isLessThan(0.02);
  }
}
