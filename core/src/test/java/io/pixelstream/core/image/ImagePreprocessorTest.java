package io.pixelstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  private static final InputShape GRAY_28 = new InputShape(1, 28, 28);

  @Test
  void grayImageOfModelSizeKeepsExactPixels() throws Exception {
    byte[] pixels = TestImages.randomPixels(1, 28, 28, 11);
    BufferedImage img =
        new ImageDecoder(ImageLimits.DEFAULT).decode(ImageEncoding.png(pixels, 1, 28, 28));
    ImagePreprocessor p = new ImagePreprocessor(GRAY_28, Normalization.unit(1));
    assertThat(p.toPixels(img)).isEqualTo(pixels);
  }

  @Test
  void normalisesPerChannel() {
    Normalization n = new Normalization(1 / 255.0, new double[] {0.5}, new double[] {0.25});
    float[] out = n.apply(new byte[] {0, (byte) 255, (byte) 51}, 1);
    assertThat(out[0]).isCloseTo(-2f, within(1e-6f));
    assertThat(out[1]).isCloseTo(2f, within(1e-6f));
    assertThat(out[2]).isCloseTo((0.2f - 0.5f) / 0.25f, within(1e-6f));
  }

  @Test
  void unitRmsGivesADarkAndABrightCopyOfAnImageTheSameInput() throws Exception {
    byte[] dark = TestImages.randomPixels(1, 28, 28, 12);
    byte[] bright = new byte[dark.length];
    for (int i = 0; i < dark.length; i++) {
      dark[i] = (byte) ((dark[i] & 0xFF) / 4); // 0..63
      bright[i] = (byte) ((dark[i] & 0xFF) * 4); // the same picture, four times as bright
    }
    Normalization n =
        new Normalization(
            1 / 255.0, new double[] {0.5}, new double[] {0.25}, Normalization.PerImage.UNIT_RMS);
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor p = new ImagePreprocessor(GRAY_28, n);
    float[] fromDark = p.preprocess(decoder.decode(ImageEncoding.png(dark, 1, 28, 28)));
    float[] fromBright = p.preprocess(decoder.decode(ImageEncoding.png(bright, 1, 28, 28)));
    assertThat(fromBright).containsExactly(fromDark, within(1e-5f));

    Normalization plain = n.withPerImage(Normalization.PerImage.NONE);
    assertThat(plain.apply(bright, 1)).isNotEqualTo(plain.apply(dark, 1));
    double rms = 0;
    for (float v : fromDark) {
      double x = v * 0.25 + 0.5;
      rms += x * x / fromDark.length;
    }
    assertThat(Math.sqrt(rms)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void unitRmsLeavesABlackImageBlackAndPixelScaleUndoesIt() {
    Normalization n =
        new Normalization(
            1 / 255.0, new double[] {0.5}, new double[] {0.25}, Normalization.PerImage.UNIT_RMS);
    assertThat(n.apply(new byte[28 * 28], 1)).containsOnly(-2f);

    byte[] pixels = TestImages.randomPixels(1, 28, 28, 13);
    float[] x = n.apply(pixels, 1);
    double pixelScale = n.pixelScale(pixels);
    for (int i = 0; i < pixels.length; i++) {
      assertThat((x[i] * 0.25 + 0.5) / pixelScale).isCloseTo(pixels[i] & 0xFF, within(1e-3));
    }
  }

  @Test
  void resizesToTheModelInput() {
    byte[] constant = new byte[56 * 56];
    java.util.Arrays.fill(constant, (byte) 200);
    BufferedImage big = ImageEncoding.toImage(constant, 1, 56, 56);
    byte[] out = new ImagePreprocessor(GRAY_28, Normalization.unit(1)).toPixels(big);
    assertThat(out).hasSize(28 * 28);
    for (byte b : out) {
      assertThat(b & 0xFF).isEqualTo(200);
    }
  }

  @Test
  void colourToGrayIsLuma() {
    byte[] rgb = new byte[3 * 28 * 28];
    int plane = 28 * 28;
    for (int i = 0; i < plane; i++) {
      rgb[i] = (byte) 255; // pure red
    }
    BufferedImage red = ImageEncoding.toImage(rgb, 3, 28, 28);
    byte[] gray = new ImagePreprocessor(GRAY_28, Normalization.unit(1)).toPixels(red);
    assertThat(gray[0] & 0xFF).isEqualTo(76); // round(0.299 * 255)
  }

  @Test
  void grayToColourRepeatsThePlane() {
    byte[] pixels = TestImages.randomPixels(1, 32, 32, 12);
    BufferedImage img = ImageEncoding.toImage(pixels, 1, 32, 32);
    byte[] out =
        new ImagePreprocessor(new InputShape(3, 32, 32), Normalization.unit(3)).toPixels(img);
    int plane = 32 * 32;
    for (int c = 0; c < 3; c++) {
      assertThat(java.util.Arrays.copyOfRange(out, c * plane, (c + 1) * plane)).isEqualTo(pixels);
    }
  }

  @Test
  void centreCropKeepsTheMiddleOfAWideImageWhereStretchSquashesItAll() {
    // 60x20, grey: the left and right thirds black, the middle 20x20 white
    byte[] pixels = new byte[20 * 60];
    for (int y = 0; y < 20; y++) {
      for (int x = 20; x < 40; x++) {
        pixels[y * 60 + x] = (byte) 255;
      }
    }
    BufferedImage wide = ImageEncoding.toImage(pixels, 1, 20, 60);
    InputShape gray10 = new InputShape(1, 10, 10);
    byte[] cropped =
        new ImagePreprocessor(gray10, Normalization.unit(1), ResizeMode.CENTER_CROP).toPixels(wide);
    for (byte b : cropped) {
      assertThat(b & 0xFF).isEqualTo(255);
    }
    byte[] stretched = new ImagePreprocessor(gray10, Normalization.unit(1)).toPixels(wide);
    assertThat(stretched[0] & 0xFF).isZero(); // the left third, squeezed in
    assertThat(stretched[5] & 0xFF).isEqualTo(255);
    // a tall image keeps its middle rows the same way
    BufferedImage tall = ImageEncoding.toImage(transpose(pixels, 20, 60), 1, 60, 20);
    byte[] tallCropped =
        new ImagePreprocessor(gray10, Normalization.unit(1), ResizeMode.CENTER_CROP).toPixels(tall);
    for (byte b : tallCropped) {
      assertThat(b & 0xFF).isEqualTo(255);
    }
  }

  private static byte[] transpose(byte[] pixels, int height, int width) {
    byte[] out = new byte[pixels.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[x * height + y] = pixels[y * width + x];
      }
    }
    return out;
  }
}
