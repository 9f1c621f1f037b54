package io.pixelstream.core.model;

import java.util.Arrays;

/**
 * How raw 8-bit pixels become model input: {@code (pixel * scale - mean[c]) / std[c]} per channel.
 * The trainer and the ingestion job both call {@link #apply} so they can never disagree.
 */
public record Normalization(double scale, double[] mean, double[] std) {

  public Normalization {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("normalization.scale must be > 0, got " + scale);
    }
    if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "normalization.mean and .std need the same, non-zero length");
    }
    for (double s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("normalization.std values must be > 0, got " + s);
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Pixels scaled to [0, 1] with no centring: mean 0, std 1 for each channel. */
  public static Normalization unit(int channels) {
    double[] zeros = new double[channels];
    double[] ones = new double[channels];
    Arrays.fill(ones, 1.0);
    return new Normalization(1.0 / 255.0, zeros, ones);
  }

  /**
   * Normalises CHW pixels (unsigned bytes) for an input of {@code channels} planes.
   *
   * @param pixels {@code channels * plane} unsigned bytes, channel-major
   * @param channels number of planes, equal to the length of {@link #mean()}
   */
  public float[] apply(byte[] pixels, int channels) {
    if (channels != mean.length) {
      throw new IllegalArgumentException(
          "channels (" + channels + ") must match normalization's " + mean.length);
    }
    if (pixels.length % channels != 0) {
      throw new IllegalArgumentException("pixels.length must be a multiple of channels");
    }
    int plane = pixels.length / channels;
    float[] out = new float[pixels.length];
    for (int c = 0; c < channels; c++) {
      double m = mean[c];
      double s = std[c];
      int base = c * plane;
      for (int i = 0; i < plane; i++) {
        out[base + i] = (float) (((pixels[base + i] & 0xFF) * scale - m) / s);
      }
    }
    return out;
  }

  /** {@link #apply} for each of {@code images}. */
  public float[][] applyAll(byte[][] images, int channels) {
    float[][] out = new float[images.length][];
    for (int i = 0; i < images.length; i++) {
      out[i] = apply(images[i], channels);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n
        && n.scale == scale
        && Arrays.equals(n.mean, mean)
        && Arrays.equals(n.std, std);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Double.hashCode(scale) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[scale="
        + scale
        + ", mean="
        + Arrays.toString(mean)
        + ", std="
        + Arrays.toString(std)
        + "]";
  }
}
