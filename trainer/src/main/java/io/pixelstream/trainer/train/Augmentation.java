package io.pixelstream.trainer.train;

import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import java.util.Random;

/**
 * Random label-preserving changes to a normalised training image: a horizontal flip with
 * probability 1/2 and a shift of up to {@code maxShift} pixels each way (a random crop of the image
 * padded with black), the uncovered border filled with the normalised value of a black pixel. The
 * autoencoder reconstructs the changed image, so input and target stay one array. Not thread-safe
 * (one per epoch).
 */
final class Augmentation {

  private final InputShape shape;
  private final int maxShift;
  private final float[] background;
  private final Random random;

  Augmentation(InputShape shape, Normalization norm, int maxShift, Random random) {
    if (maxShift < 0 || maxShift >= Math.min(shape.height(), shape.width())) {
      throw new IllegalArgumentException(
          "maxShift must be in [0, "
              + Math.min(shape.height(), shape.width())
              + "), got "
              + maxShift);
    }
    this.shape = shape;
    this.maxShift = maxShift;
    this.random = random;
    this.background = new float[shape.channels()];
    float[] black = norm.apply(new byte[shape.size()], shape.channels());
    int plane = shape.height() * shape.width();
    for (int c = 0; c < background.length; c++) {
      background[c] = black[c * plane];
    }
  }

  /** A changed copy of {@code input} (CHW); the input is not modified. */
  float[] apply(float[] input) {
    boolean flip = random.nextBoolean();
    int dy = random.nextInt(2 * maxShift + 1) - maxShift;
    int dx = random.nextInt(2 * maxShift + 1) - maxShift;
    int h = shape.height();
    int w = shape.width();
    float[] out = new float[input.length];
    for (int c = 0; c < shape.channels(); c++) {
      int base = c * h * w;
      for (int y = 0; y < h; y++) {
        int sy = y - dy;
        for (int x = 0; x < w; x++) {
          int sx = x - dx;
          if (flip) {
            sx = w - 1 - sx;
          }
          out[base + y * w + x] =
              sy < 0 || sy >= h || sx < 0 || sx >= w ? background[c] : input[base + sy * w + sx];
        }
      }
    }
    return out;
  }
}
