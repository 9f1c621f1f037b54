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

  /** Parses {@code CxHxW}, e.g. {@code 3x32x32}. */
  public static InputShape parse(String text) {
    String[] p = text.split("x");
    try {
      if (p.length == 3) {
        return new InputShape(
            Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException("an input shape is CxHxW, e.g. 3x32x32, got '" + text + "'");
  }

  /** {@code CxHxW}, as {@link #parse} reads it. */
  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }

  /** Number of values of one preprocessed image, {@code channels * height * width}. */
  public int size() {
    return channels * height * width;
  }
}
