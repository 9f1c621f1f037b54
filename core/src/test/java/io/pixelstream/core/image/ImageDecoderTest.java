package io.pixelstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.ingest.RejectReason;
import io.pixelstream.core.ingest.RejectedInputException;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  @Test
  void decodesPngWithExactPixels() throws Exception {
    byte[] pixels = TestImages.randomPixels(1, 28, 28, 1);
    BufferedImage img = decoder.decode(ImageEncoding.png(pixels, 1, 28, 28));
    assertThat(img.getWidth()).isEqualTo(28);
    assertThat(img.getHeight()).isEqualTo(28);
    assertThat(img.getRaster().getSample(3, 2, 0)).isEqualTo(pixels[2 * 28 + 3] & 0xFF);
  }

  @Test
  void decodesJpeg() throws Exception {
    byte[] jpeg = ImageEncoding.jpeg(TestImages.randomPixels(3, 32, 40, 2), 3, 32, 40);
    assertThat(ImageDecoder.sniffFormat(jpeg)).isEqualTo("jpeg");
    BufferedImage img = decoder.decode(jpeg);
    assertThat(img.getWidth()).isEqualTo(40);
    assertThat(img.getHeight()).isEqualTo(32);
  }

  @Test
  void refusesNonImages() {
    assertReason(
        () -> decoder.decode("hello, not an image".getBytes(StandardCharsets.UTF_8)),
        RejectReason.UNSUPPORTED_FORMAT);
    assertReason(() -> decoder.decode(new byte[0]), RejectReason.UNDECODABLE_IMAGE);
  }

  @Test
  void refusesCorruptAndTruncatedPng() {
    byte[] png = TestImages.grayPng(28, 28, 3);
    byte[] truncated = Arrays.copyOf(png, png.length / 2);
    assertReason(() -> decoder.decode(truncated), RejectReason.UNDECODABLE_IMAGE);
    byte[] corrupt = png.clone();
    for (int i = 40; i < corrupt.length - 12; i++) {
      corrupt[i] = (byte) (i * 31);
    }
    assertReason(() -> decoder.decode(corrupt), RejectReason.UNDECODABLE_IMAGE);
  }

  @Test
  void refusesTruncatedJpeg() {
    byte[] jpeg = ImageEncoding.jpeg(TestImages.randomPixels(1, 64, 64, 4), 1, 64, 64);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
    assertReason(() -> decoder.decode(truncated), RejectReason.UNDECODABLE_IMAGE);
  }

  @Test
  void refusesTooManyBytes() {
    ImageDecoder small = new ImageDecoder(new ImageLimits(100, 8, 4096, 1 << 20));
    assertReason(() -> small.decode(TestImages.grayPng(64, 64, 5)), RejectReason.TOO_LARGE);
  }

  @Test
  void refusesWrongSizes() {
    assertReason(() -> decoder.decode(TestImages.grayPng(4, 28, 6)), RejectReason.WRONG_SIZE);
    ImageDecoder capped = new ImageDecoder(new ImageLimits(1 << 20, 8, 64, 1 << 20));
    assertReason(() -> capped.decode(TestImages.grayPng(28, 65, 7)), RejectReason.WRONG_SIZE);
  }

  @Test
  void refusesDecompressionBombFromItsHeaderAlone() {
    byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);
    assertThat(bomb.length).isLessThan(100);
    assertThatThrownBy(() -> decoder.decode(bomb))
        .isInstanceOf(RejectedInputException.class)
        .hasMessageContaining("100000x100000")
        .extracting(e -> ((RejectedInputException) e).reason())
        .isEqualTo(RejectReason.WRONG_SIZE);
  }

  private static void assertReason(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, RejectReason reason) {
    assertThatThrownBy(call)
        .isInstanceOf(RejectedInputException.class)
        .extracting(e -> ((RejectedInputException) e).reason())
        .isEqualTo(reason);
  }
}
