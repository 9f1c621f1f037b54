package io.pixelstream.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Encodes CHW 8-bit pixels (1 or 3 channels) as PNG or JPEG, for producers, tests and the API. */
public final class ImageEncoding {

  private ImageEncoding() {}

  /** PNG bytes of the image. */
  public static byte[] png(byte[] chw, int channels, int height, int width) {
    return encode(chw, channels, height, width, "png");
  }

  /** JPEG bytes of the image (default quality). */
  public static byte[] jpeg(byte[] chw, int channels, int height, int width) {
    return encode(chw, channels, height, width, "jpeg");
  }

  /** A {@link BufferedImage} of CHW 8-bit pixels: TYPE_BYTE_GRAY for 1 channel, else RGB. */
  public static BufferedImage toImage(byte[] chw, int channels, int height, int width) {
    int plane = height * width;
    if (chw.length != channels * plane || (channels != 1 && channels != 3)) {
      throw new IllegalArgumentException(
          "pixels must be channels(1|3) x height x width = " + channels * plane + " bytes");
    }
    if (channels == 1) {
      BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setDataElements(0, 0, width, height, chw);
      return img;
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      rgb[i] = (chw[i] & 0xFF) << 16 | (chw[plane + i] & 0xFF) << 8 | (chw[2 * plane + i] & 0xFF);
    }
    img.setRGB(0, 0, width, height, rgb, 0, width);
    return img;
  }

  private static byte[] encode(byte[] chw, int channels, int height, int width, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(toImage(chw, channels, height, width), format, out)) {
        throw new IllegalStateException("the JDK has no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
