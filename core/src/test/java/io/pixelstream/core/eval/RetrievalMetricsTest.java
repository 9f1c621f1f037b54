package io.pixelstream.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

  @Test
  void separatedClassesArePerfect() {
    float[][] v = new float[40][];
    int[] labels = new int[40];
    for (int i = 0; i < 40; i++) {
      labels[i] = i / 20;
      v[i] = new float[] {labels[i] * 100 + i * 0.01f, 0};
    }
    RetrievalMetrics.Result r = RetrievalMetrics.evaluate(v, labels, 10);
    assertThat(r.precisionAtK()).isEqualTo(1.0);
    assertThat(r.meanAveragePrecisionAtK()).isEqualTo(1.0);
  }

  @Test
  void handComputedQuery() {
    // points on a line; query 0 (label A) sees neighbours 1 (B), 2 (A), 3 (A) in that order
    float[][] v = {{0}, {1}, {2}, {3}};
    int[] labels = {0, 1, 0, 0};
    RetrievalMetrics.Result r = RetrievalMetrics.evaluate(v, labels, 3);
    // per query (P@3, AP@3): q0 (2/3, (1/2 + 2/3)/2), q1 (0, 0),
    // q2 neighbours 1(B),3(A),0(A): (2/3, (1/2 + 2/3)/2), q3 neighbours 2(A),1(B),0(A): (2/3, (1 +
    // 2/3)/2)
    double ap = ((0.5 + 2.0 / 3) / 2 * 2 + (1 + 2.0 / 3) / 2) / 4;
    assertThat(r.precisionAtK()).isCloseTo(2.0 / 3 * 3 / 4, within(1e-12));
    assertThat(r.meanAveragePrecisionAtK()).isCloseTo(ap, within(1e-12));
  }

  @Test
  void refusesBadK() {
    assertThatThrownBy(
            () -> RetrievalMetrics.evaluate(new float[][] {{0}, {1}}, new int[] {0, 1}, 2))
        .hasMessageContaining("k must be");
  }
}
