package io.pixelstream.bench;

import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * As many distinct 28x28 grey images as a scale run needs, derived from the 70,000 Fashion-MNIST
 * images: image {@code i} is base image {@code i % 70,000} with changes drawn from a generator
 * seeded by {@code seed} and {@code i}, so any image can be made again on its own, in any order: a
 * random crop (side 22-28) scaled back to 28x28, a horizontal flip with probability 1/2, a shift of
 * up to 2 pixels each way, brightness times 0.7-1.3 and Gaussian noise (sigma 0-6 grey levels). The
 * base image keeps its label.
 */
final class ScaleImages {

  static final int SIDE = 28;

  private final byte[][] base;
  private final int[] labels;
  private final long seed;

  ScaleImages(LabelledImages base, long seed) {
    if (base.shape().channels() != 1
        || base.shape().height() != SIDE
        || base.shape().width() != SIDE) {
      throw new IllegalArgumentException("base must hold 1x28x28 images, got " + base.shape());
    }
    this.base = base.pixels();
    this.labels = base.labels();
    this.seed = seed;
  }

  /** The 60,000 training then 10,000 test images of Fashion-MNIST as the base. */
  static ScaleImages fashionMnist(long seed) throws IOException {
    LabelledImages train = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, 60_000);
    LabelledImages test = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, 10_000);
    byte[][] pixels = new byte[train.size() + test.size()][];
    int[] labels = new int[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      boolean fromTrain = i < train.size();
      pixels[i] = fromTrain ? train.pixels()[i] : test.pixels()[i - train.size()];
      labels[i] = fromTrain ? train.labels()[i] : test.labels()[i - train.size()];
    }
    return new ScaleImages(new LabelledImages(train.shape(), pixels, labels), seed);
  }

  int label(long i) {
    return labels[baseIndex(i)];
  }

  /** Image {@code i} as PNG. */
  byte[] png(long i) {
    return ImageEncoding.png(pixels(i), 1, SIDE, SIDE);
  }

  /** Image {@code i}'s grey levels, row by row. */
  byte[] pixels(long i) {
    if (i < 0) {
      throw new IllegalArgumentException("i must be >= 0, got " + i);
    }
    byte[] src = base[baseIndex(i)];
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    int crop = 22 + random.nextInt(SIDE - 22 + 1);
    int top = random.nextInt(SIDE - crop + 1);
    int left = random.nextInt(SIDE - crop + 1);
    boolean flip = random.nextBoolean();
    int dy = random.nextInt(5) - 2;
    int dx = random.nextInt(5) - 2;
    double gain = 0.7 + 0.6 * random.nextDouble();
    double sigma = 6 * random.nextDouble();
    double scale = crop / (double) SIDE;
    byte[] out = new byte[SIDE * SIDE];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int sx0 = flip ? SIDE - 1 - x : x;
        // nearest pixel of the crop, after the shift; outside the image is black
        int sy = top + (int) ((y - dy) * scale);
        int sx = left + (int) ((sx0 - dx) * scale);
        double v =
            y - dy < 0 || y - dy >= SIDE || sx0 - dx < 0 || sx0 - dx >= SIDE
                ? 0
                : (src[sy * SIDE + sx] & 0xff) * gain;
        v += sigma * gaussian(random);
        out[y * SIDE + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return out;
  }

  private int baseIndex(long i) {
    return (int) (i % base.length);
  }

  /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble(); // (0, 1]: the log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
