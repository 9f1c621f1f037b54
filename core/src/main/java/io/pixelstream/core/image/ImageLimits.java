package io.pixelstream.core.image;

/**
 * Bounds on what the decoder accepts, checked before pixels are decoded so that a small file that
 * claims huge dimensions (a decompression bomb) costs nothing.
 *
 * @param maxBytes largest encoded image, in bytes
 * @param minSide smallest accepted width and height
 * @param maxSide largest accepted width and height
 * @param maxPixels largest accepted {@code width * height}
 */
public record ImageLimits(int maxBytes, int minSide, int maxSide, long maxPixels) {

  /** 8 MiB, sides 8..4096, at most 16 Mpx. */
  public static final ImageLimits DEFAULT = new ImageLimits(8 << 20, 8, 4096, 16L << 20);

  public ImageLimits {
    if (maxBytes < 1 || minSide < 1 || maxSide < minSide || maxPixels < 1) {
      throw new IllegalArgumentException(
          "image limits need maxBytes >= 1, 1 <= minSide <= maxSide, maxPixels >= 1");
    }
  }
}
