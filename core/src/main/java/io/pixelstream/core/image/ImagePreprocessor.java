package io.pixelstream.core.image;

import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Turns a decoded image into the encoder's input: resize (bilinear) to the model's height and
 * width, the whole image or its centred region of the input's aspect ratio ({@link ResizeMode}),
 * convert to its channels (grayscale is ITU-R 601 luma of RGB; gray sources keep their exact
 * values), lay out as CHW 8-bit pixels, then normalise as the manifest says. Thread-safe.
 */
public final class ImagePreprocessor {

  private final InputShape shape;
  private final Normalization normalization;
  private final ResizeMode resize;

  /** Resizing with {@link ResizeMode#STRETCH}. */
  public ImagePreprocessor(InputShape shape, Normalization normalization) {
    this(shape, normalization, ResizeMode.STRETCH);
  }

  public ImagePreprocessor(InputShape shape, Normalization normalization, ResizeMode resize) {
    if (normalization.mean().length != shape.channels()) {
      throw new IllegalArgumentException("normalization channels must equal shape.channels");
    }
    this.shape = shape;
    this.normalization = normalization;
    this.resize = resize;
  }

  public InputShape shape() {
    return shape;
  }

  /** The normalised CHW float input for {@code image}. */
  public float[] preprocess(BufferedImage image) {
    return normalization.apply(toPixels(image), shape.channels());
  }

  /** The CHW 8-bit pixels of {@code image} at the model's size and channel count. */
  public byte[] toPixels(BufferedImage image) {
    boolean gray = isGray(image);
    BufferedImage sized = image;
    if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
      sized = resize(image, gray);
    }
    int h = shape.height();
    int w = shape.width();
    int plane = h * w;
    byte[] out = new byte[shape.channels() * plane];
    if (gray) {
      Raster raster = sized.getRaster();
      int max = (1 << sized.getColorModel().getComponentSize(0)) - 1;
      int[] samples = raster.getSamples(0, 0, w, h, 0, new int[plane]);
      for (int i = 0; i < plane; i++) {
        int v = max == 255 ? samples[i] : Math.round(samples[i] * 255f / max);
        for (int c = 0; c < shape.channels(); c++) {
          out[c * plane + i] = (byte) v;
        }
      }
      return out;
    }
    int[] argb = sized.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < plane; i++) {
      int r = (argb[i] >> 16) & 0xFF;
      int g = (argb[i] >> 8) & 0xFF;
      int b = argb[i] & 0xFF;
      if (shape.channels() == 1) {
        out[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
      } else {
        out[i] = (byte) r;
        out[plane + i] = (byte) g;
        out[2 * plane + i] = (byte) b;
      }
    }
    return out;
  }

  private static boolean isGray(BufferedImage image) {
    return image.getRaster().getNumBands() == 1
        && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  private BufferedImage resize(BufferedImage image, boolean gray) {
    BufferedImage target =
        new BufferedImage(
            shape.width(),
            shape.height(),
            gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      int sx = 0;
      int sy = 0;
      int sw = image.getWidth();
      int sh = image.getHeight();
      if (resize == ResizeMode.CENTER_CROP) {
        // the largest centred region with the input's aspect ratio
        if ((long) sw * shape.height() > (long) sh * shape.width()) {
          sw = Math.max(1, (int) Math.round(sh * (double) shape.width() / shape.height()));
          sx = (image.getWidth() - sw) / 2;
        } else {
          sh = Math.max(1, (int) Math.round(sw * (double) shape.height() / shape.width()));
          sy = (image.getHeight() - sh) / 2;
        }
      }
      g.drawImage(image, 0, 0, shape.width(), shape.height(), sx, sy, sx + sw, sy + sh, null);
    } finally {
      g.dispose();
    }
    return target;
  }
}
