package io.pixelstream.core.data;

import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;

/**
 * A labelled image set in memory: CHW 8-bit pixels per image and an int label per image.
 *
 * @param shape shape of every image
 * @param pixels one array of {@code shape.size()} bytes per image
 * @param labels one label per image
 */
public record LabelledImages(InputShape shape, byte[][] pixels, int[] labels) {

  public LabelledImages {
    if (pixels.length != labels.length) {
      throw new IllegalArgumentException(
          pixels.length + " images but " + labels.length + " labels");
    }
  }

  public int size() {
    return labels.length;
  }

  /** {@link #as(InputShape, ResizeMode)} stretching. */
  public LabelledImages as(InputShape target) {
    return as(target, ResizeMode.STRETCH);
  }

  /**
   * These images as {@code target} takes them: resized (bilinear, as {@code resize} says) and
   * converted between grey and RGB exactly as ingestion prepares an image for a model of that input
   * ({@link ImagePreprocessor#toPixels}); this set itself when it already has that shape.
   */
  public LabelledImages as(InputShape target, ResizeMode resize) {
    if (target.equals(shape)) {
      return this;
    }
    ImagePreprocessor prep =
        new ImagePreprocessor(target, Normalization.unit(target.channels()), resize);
    byte[][] out = new byte[pixels.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          prep.toPixels(
              ImageEncoding.toImage(pixels[i], shape.channels(), shape.height(), shape.width()));
    }
    return new LabelledImages(target, out, labels);
  }
}
