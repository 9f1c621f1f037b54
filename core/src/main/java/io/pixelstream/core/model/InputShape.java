package io.pixelstream.core.model;

/** The encoder's input: channels (1 = grayscale, 3 = RGB), height and width in pixels. */
public record InputShape(int channels, int height, int width) {

  public InputShape {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("input.channels must be 1 or 3, got " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "input.height and input.width must be positive, got " + height + "x" + width);
    }
  }

  /** Number of values of one preprocessed image, {@code channels * height * width}. */
  public int size() {
    return channels * height * width;
  }
}
