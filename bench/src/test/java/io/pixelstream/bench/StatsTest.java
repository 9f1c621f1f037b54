package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.search.SearchResult;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {

  private static SearchResult hits(int from, int to) {
    return new SearchResult(
        IntStream.range(from, to)
            .mapToObj(i -> new SearchResult.Hit("i" + i, 1f, 0, null))
            .toList(),
        null);
  }

  @Test
  void recallAt10CountsTheApproximateHitsAmongTheExactTop10() {
    SearchResult exact = hits(0, 10);
    assertThat(Stats.recallAt10(exact, hits(0, 10))).isEqualTo(1.0);
    assertThat(Stats.recallAt10(exact, hits(7, 17))).isEqualTo(0.3);
    assertThat(Stats.recallAt10(exact, hits(10, 20))).isZero();
    assertThat(Stats.recallAt10(exact, new SearchResult(List.of(), null))).isZero();
  }

  @Test
  void percentileByPartTakesConsecutiveSlices() {
    double[] values = {900, 10, 20, 30, 40, 50, 60, 70, 80, 5};
    assertThat(Stats.percentileByPart(values, 2, 100)).containsExactly(900, 80);
    assertThat(Stats.percentileByPart(values, 5, 0)).containsExactly(10, 20, 40, 60, 5);
  }

  @Test
  void percentileIsTheNearestRank() {
    double[] values = {5, 1, 4, 2, 3};
    assertThat(Stats.percentile(values, 50)).isEqualTo(3);
    assertThat(Stats.percentile(values, 99)).isEqualTo(5);
    assertThat(Stats.percentile(new double[0], 50)).isNaN();
  }
}
