package io.pixelstream.core.model;

import java.util.Arrays;

/**
 * How raw 8-bit pixels become model input: {@code x = pixel * scale}, then, with {@link
 * PerImage#UNIT_RMS}, {@code x / max(rms(x), RMS_FLOOR)} over the whole image, then {@code (x -
 * mean[c]) / std[c]} per channel. The trainer and the ingestion job both call {@link #apply} so
 * they can never disagree.
 *
 * @param perImage scaling of each image by its own statistics before the per-channel step; {@code
 *     null} (a manifest written before the field existed) reads as {@link PerImage#NONE}
 */
public record Normalization(double scale, double[] mean, double[] std, PerImage perImage) {

  /** Scaling of each image by its own pixel statistics. */
  public enum PerImage {
    /** Pixels keep their brightness. */
    NONE,
    /**
     * Each image divided by its root-mean-square value, so that a dark and a bright picture of the
     * same thing give the same input: brightness and contrast stop separating images that differ
     * only in them. Black stays 0.
     */
    UNIT_RMS
  }

  /**
   * Below this root-mean-square value (pixels scaled to [0, 1]) an image is not scaled up further:
   * an all-black image stays black instead of dividing by zero.
   */
  public static final double RMS_FLOOR = 1e-3;

  /** No per-image scaling. */
  public Normalization(double scale, double[] mean, double[] std) {
    this(scale, mean, std, PerImage.NONE);
  }

  public Normalization {
    if (perImage == null) {
      perImage = PerImage.NONE;
    }
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

  /** This normalisation with {@code perImage} scaling instead of its own. */
  public Normalization withPerImage(PerImage perImage) {
    return new Normalization(scale, mean, std, perImage);
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
    double pixelScale = pixelScale(pixels);
    float[] out = new float[pixels.length];
    for (int c = 0; c < channels; c++) {
      double m = mean[c];
      double s = std[c];
      int base = c * plane;
      for (int i = 0; i < plane; i++) {
        out[base + i] = (float) (((pixels[base + i] & 0xFF) * pixelScale - m) / s);
      }
    }
    return out;
  }

  /**
   * What {@link #apply} multiplies the 8-bit values of {@code pixels} by before the per-channel
   * step: {@link #scale()}, divided by the image's root-mean-square with {@link PerImage#UNIT_RMS}.
   * Dividing a model input (after undoing the per-channel step) by it gives 8-bit values back.
   */
  public double pixelScale(byte[] pixels) {
    if (perImage == PerImage.NONE) {
      return scale;
    }
    long sumOfSquares = 0;
    for (byte p : pixels) {
      int v = p & 0xFF;
      sumOfSquares += v * v;
    }
    double rms = scale * Math.sqrt(sumOfSquares / (double) pixels.length);
    return scale / Math.max(rms, RMS_FLOOR);
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
        && Arrays.equals(n.std, std)
        && n.perImage == perImage;
  }

  @Override
  public int hashCode() {
    int h = 31 * (31 * Double.hashCode(scale) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    return 31 * h + perImage.ordinal();
  }

  @Override
  public String toString() {
    return "Normalization[scale="
        + scale
        + ", mean="
        + Arrays.toString(mean)
        + ", std="
        + Arrays.toString(std)
        + ", perImage="
        + perImage
        + "]";
  }
}
