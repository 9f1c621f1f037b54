package io.pixelstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.model.InputShape;
import org.junit.jupiter.api.Test;

class QuarterTurnsTest {

  private static final InputShape SHAPE = new InputShape(3, 3, 3);

  /** Channel c, row y, column x holds 100 c + 10 y + x. */
  private static float[] numbered() {
    float[] image = new float[SHAPE.size()];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 3; x++) {
          image[c * 9 + y * 3 + x] = 100 * c + 10 * y + x;
        }
      }
    }
    return image;
  }

  @Test
  void oneTurnIsAnticlockwiseInEveryChannel() {
    float[] turned = QuarterTurns.turn(numbered(), SHAPE, 1);

    // the right column becomes the top row, read from top to bottom
    assertThat(turned).startsWith(2, 12, 22, 1, 11, 21, 0, 10, 20);
    assertThat(java.util.Arrays.copyOfRange(turned, 9, 18))
        .containsExactly(102, 112, 122, 101, 111, 121, 100, 110, 120);
  }

  @Test
  void twoTurnsReverseTheImageAndFourAreNone() {
    float[] image = numbered();
    float[] half = QuarterTurns.turn(QuarterTurns.turn(image, SHAPE, 1), SHAPE, 1);
    assertThat(half).isEqualTo(QuarterTurns.turn(image, SHAPE, 2));
    assertThat(java.util.Arrays.copyOfRange(half, 0, 9))
        .containsExactly(22, 21, 20, 12, 11, 10, 2, 1, 0);
    assertThat(QuarterTurns.turn(QuarterTurns.turn(image, SHAPE, 3), SHAPE, 1)).isEqualTo(image);
    assertThat(QuarterTurns.turn(image, SHAPE, 0)).isSameAs(image);
  }

  @Test
  void rejectsNonSquareImagesAndTurnsOutOfRange() {
    assertThatThrownBy(() -> QuarterTurns.turn(new float[6], new InputShape(1, 2, 3), 1))
        .hasMessageContaining("square");
    assertThatThrownBy(() -> QuarterTurns.turn(numbered(), SHAPE, 4)).hasMessageContaining("turns");
  }
}
