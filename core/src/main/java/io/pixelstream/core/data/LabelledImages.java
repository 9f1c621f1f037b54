package io.pixelstream.core.data;

import io.pixelstream.core.model.InputShape;

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
}
