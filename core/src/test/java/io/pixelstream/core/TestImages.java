package io.pixelstream.core;

import io.pixelstream.core.image.ImageEncoding;
import java.util.Random;

/** Small images made in tests, from an explicit seed. */
public final class TestImages {

  private TestImages() {}

  /** Random CHW pixels. */
  public static byte[] randomPixels(int channels, int height, int width, long seed) {
    byte[] pixels = new byte[channels * height * width];
    new Random(seed).nextBytes(pixels);
    return pixels;
  }

  /** A random grayscale PNG. */
  public static byte[] grayPng(int height, int width, long seed) {
    return ImageEncoding.png(randomPixels(1, height, width, seed), 1, height, width);
  }
}
