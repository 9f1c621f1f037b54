package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.InputShape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScaleImagesTest {

  /** Three generated 28x28 base images: a bright square on black in different places. */
  private static LabelledImages base() {
    Random random = new Random(3);
    byte[][] pixels = new byte[3][28 * 28];
    for (int b = 0; b < pixels.length; b++) {
      int top = 4 + 6 * b;
      for (int y = top; y < top + 8; y++) {
        for (int x = 6; x < 20; x++) {
          pixels[b][y * 28 + x] = (byte) (150 + random.nextInt(100));
        }
      }
    }
    return new LabelledImages(new InputShape(1, 28, 28), pixels, new int[] {7, 8, 9});
  }

  @Test
  void everyImageIsDistinctAndMadeAgainAloneWithItsBaseLabel() {
    ScaleImages images = new ScaleImages(base(), 42);
    Set<String> seen = new HashSet<>();
    for (long i = 0; i < 3000; i++) {
      assertThat(seen.add(Arrays.toString(images.pixels(i)))).as("image %d is new", i).isTrue();
      assertThat(images.label(i)).isEqualTo(7 + (int) (i % 3));
    }
    assertThat(new ScaleImages(base(), 42).pixels(2999)).isEqualTo(images.pixels(2999));
    assertThat(new ScaleImages(base(), 43).pixels(2999)).isNotEqualTo(images.pixels(2999));
  }

  @Test
  void aChangedImageStaysCloseToItsBase() {
    LabelledImages base = base();
    ScaleImages images = new ScaleImages(base, 42);
    double sameBase = 0;
    double otherBase = 0;
    for (long i = 0; i < 300; i++) {
      byte[] changed = images.pixels(i);
      sameBase += distance(changed, base.pixels()[(int) (i % 3)]);
      otherBase += distance(changed, base.pixels()[(int) ((i + 1) % 3)]);
    }
    assertThat(sameBase).as("nearer its own base than another").isLessThan(otherBase);
  }

  @Test
  void refusesWhatItCannotChange() {
    LabelledImages colour =
        new LabelledImages(
            new InputShape(3, 28, 28), new byte[][] {new byte[3 * 28 * 28]}, new int[] {0});
    assertThatThrownBy(() -> new ScaleImages(colour, 1)).hasMessageContaining("1x28x28");
    assertThatThrownBy(() -> new ScaleImages(base(), 1).png(-1)).hasMessageContaining("i must");
  }

  private static double distance(byte[] a, byte[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xff) - (b[i] & 0xff);
      sum += d * d;
    }
    return Math.sqrt(sum);
  }
}
