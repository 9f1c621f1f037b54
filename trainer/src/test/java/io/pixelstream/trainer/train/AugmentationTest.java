package io.pixelstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  private static final InputShape SHAPE = new InputShape(1, 8, 8);
  private static final Normalization NORM =
      new Normalization(1 / 255.0, new double[] {0.5}, new double[] {0.25});

  @Test
  void flipsAndShiftsKeepPixelValuesAndFillWithBlack() {
    float[] input = new float[64];
    for (int i = 0; i < 64; i++) {
      input[i] = i; // distinct values: every output pixel must be a source pixel or background
    }
    float black = (0 - 0.5f) / 0.25f;
    Augmentation aug = new Augmentation(SHAPE, NORM, 2, new Random(1));
    Set<String> seen = new HashSet<>();
    for (int n = 0; n < 200; n++) {
      float[] out = aug.apply(input);
      int kept = 0;
      for (float v : out) {
        assertThat(v == black || (v >= 0 && v < 64 && v == Math.rint(v))).isTrue();
        kept += v == black ? 0 : 1;
      }
      assertThat(kept)
          .as("a shift of at most 2 keeps at least 6x6 pixels")
          .isGreaterThanOrEqualTo(36);
      seen.add(java.util.Arrays.toString(out));
    }
    assertThat(input[5]).as("input untouched").isEqualTo(5f);
    assertThat(seen.size()).as("flip x 5 x 5 shifts = up to 50 variants").isBetween(30, 50);
  }

  @Test
  void aLargerMaxShiftMovesFurther() {
    float[] input = new float[64];
    java.util.Arrays.fill(input, 1f);
    Augmentation aug = new Augmentation(SHAPE, NORM, 4, new Random(3));
    int fewestKept = 64;
    for (int n = 0; n < 300; n++) {
      int kept = 0;
      for (float v : aug.apply(input)) {
        kept += v == 1f ? 1 : 0;
      }
      fewestKept = Math.min(fewestKept, kept);
    }
    assertThat(fewestKept).as("a 4x4 shift keeps 4x4 of 8x8").isEqualTo(16);
    assertThatThrownBy(() -> new Augmentation(SHAPE, NORM, 8, new Random(3)))
        .hasMessageContaining("maxShift must be in [0, 8), got 8");
  }

  @Test
  void aFlipWithoutShiftMirrorsEachRow() {
    float[] input = new float[64];
    for (int i = 0; i < 64; i++) {
      input[i] = i;
    }
    Augmentation aug = new Augmentation(SHAPE, NORM, 2, new Random(0));
    boolean found = false;
    for (int n = 0; n < 500 && !found; n++) {
      float[] out = aug.apply(input);
      if (out[0] == 7 && out[63] == 56) {
        found = true;
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            assertThat(out[y * 8 + x]).isEqualTo(input[y * 8 + 7 - x]);
          }
        }
      }
    }
    assertThat(found).as("a pure flip comes up within 500 draws").isTrue();
  }
}
