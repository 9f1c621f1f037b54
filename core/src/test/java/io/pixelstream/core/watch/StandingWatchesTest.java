package io.pixelstream.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandingWatchesTest {

  /**
   * Each watch image's first byte is its vector's angle in degrees (-1: unusable); version "v2"
   * flips the sign of y.
   */
  private static final class FakeModels implements StandingWatches.Models {
    final List<String> embedCalls = new ArrayList<>();

    @Override
    public String similarity(String version) {
      return "DOT_PRODUCT";
    }

    @Override
    public float[][] embed(String version, List<byte[]> images) {
      embedCalls.add(version + ":" + images.size());
      float[][] out = new float[images.size()][];
      for (int i = 0; i < out.length; i++) {
        int b = images.get(i)[0];
        out[i] = b == -1 ? null : unit(b, version.equals("v2") ? -1 : 1);
      }
      return out;
    }
  }

  private static float[] unit(double angleDegrees, int ySign) {
    double a = Math.toRadians(angleDegrees);
    return new float[] {(float) Math.cos(a), ySign * (float) Math.sin(a)};
  }

  private static Watch threshold(String id, int angle, double threshold) {
    return new Watch(id, id, new byte[] {(byte) angle}, null, threshold, null, 1L);
  }

  private static Watch top(String id, int angle, int top) {
    return new Watch(id, id, new byte[] {(byte) angle}, null, null, top, 1L);
  }

  /** Lucene's DOT_PRODUCT score of two unit vectors: (1 + cos) / 2. */
  private static float score(double degreesApart) {
    return (float) ((1 + Math.cos(Math.toRadians(degreesApart))) / 2);
  }

  @Test
  void thresholdWatchesMatchImagesScoringAtLeastTheirThreshold() {
    StandingWatches watches = new StandingWatches(new FakeModels());
    watches.put(threshold("near", 10, score(20)));
    watches.put(threshold("far", 90, score(20)));

    List<StandingWatches.Match> matches = watches.match(unit(25, 1), "v1");

    assertThat(matches).extracting(m -> m.watch().id()).containsExactly("near");
    assertThat(matches.get(0).score())
        .isCloseTo(score(15), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(watches.match(unit(45, 1), "v1")).isEmpty();
  }

  @Test
  void topWatchAdmitsAnImageWhileItIsAmongTheBestSeen() {
    StandingWatches watches = new StandingWatches(new FakeModels());
    watches.put(top("top2", 0, 2));

    assertThat(watches.match(unit(60, 1), "v1")).hasSize(1); // fewer than 2 seen
    assertThat(watches.match(unit(50, 1), "v1")).hasSize(1);
    assertThat(watches.match(unit(70, 1), "v1")).isEmpty(); // worse than both
    assertThat(watches.match(unit(55, 1), "v1")).hasSize(1); // beats 60
    assertThat(watches.match(unit(58, 1), "v1")).isEmpty(); // now worse than 50 and 55
  }

  @Test
  void anotherVersionReembedsEveryWatchAndStartsTopWatchesAfresh() {
    FakeModels models = new FakeModels();
    StandingWatches watches = new StandingWatches(models);
    watches.put(threshold("a", 30, score(5)));
    watches.put(top("t", 30, 1));

    assertThat(watches.match(unit(30, 1), "v1")).hasSize(2);
    assertThat(watches.match(unit(31, 1), "v1"))
        .extracting(m -> m.watch().id())
        .containsExactly("a");
    // v2 mirrors the watch images: the same image vector no longer scores for them
    assertThat(watches.match(unit(30, 1), "v2"))
        .extracting(m -> m.watch().id())
        .containsExactly("t");
    assertThat(watches.match(unit(-30, 1), "v2"))
        .extracting(m -> m.watch().id())
        .containsExactly("a", "t");
    assertThat(models.embedCalls).containsExactly("v1:2", "v2:2");
  }

  @Test
  void aNewWatchIsEmbeddedAloneAndARemovedOneNoLongerMatches() {
    FakeModels models = new FakeModels();
    StandingWatches watches = new StandingWatches(models);
    watches.put(threshold("a", 30, 0.5));
    watches.match(unit(30, 1), "v1");
    watches.put(threshold("b", 40, 0.5));

    assertThat(watches.match(unit(35, 1), "v1")).hasSize(2);
    assertThat(watches.remove("a")).isTrue();
    assertThat(watches.remove("a")).isFalse();
    assertThat(watches.match(unit(35, 1), "v1"))
        .extracting(m -> m.watch().id())
        .containsExactly("b");
    assertThat(models.embedCalls).containsExactly("v1:1", "v1:1");
    assertThat(watches.size()).isEqualTo(1);
  }

  @Test
  void aWatchTheModelCannotEmbedIsLeftOutAndReported() {
    StandingWatches watches = new StandingWatches(new FakeModels());
    watches.put(threshold("broken", -1, 0.0));
    watches.put(threshold("fine", 30, 0.0));

    assertThat(watches.match(unit(30, 1), "v1"))
        .extracting(m -> m.watch().id())
        .containsExactly("fine");
    assertThat(watches.unusable()).containsExactly("broken");
  }

  @Test
  void restoredTopScoresGoOnWhereTheyWere() {
    StandingWatches before = new StandingWatches(new FakeModels());
    before.put(top("t", 0, 1));
    before.match(unit(20, 1), "v1");

    StandingWatches after = new StandingWatches(new FakeModels());
    after.put(top("t", 0, 1));
    after.restoreTops(before.topVersion(), before.topScores());

    assertThat(after.topScores()).containsOnlyKeys("t");
    assertThat(after.match(unit(25, 1), "v1")).isEmpty();
    assertThat(after.match(unit(15, 1), "v1")).hasSize(1);
    assertThat(before.topScores().get("t")).containsExactly(score(20));
    assertThat(Map.copyOf(after.topScores()).get("t")).containsExactly(score(15));
  }
}
