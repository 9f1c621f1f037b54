package io.pixelstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes the decoder and preprocessor with valid PNG and JPEG files mutated (bytes overwritten, cut
 * short, bytes inserted, the PNG header's width and height replaced) and with arbitrary bytes: each
 * input either decodes to an image within the limits and preprocesses to finite numbers, or is
 * refused with a {@link RejectedInputException}. Nothing else is thrown and nothing takes more than
 * 5 s. Seeds are fixed, so a failure repeats.
 */
class ImageDecoderFuzzTest {

  private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 8, 1024, 1L << 20);
  private static final byte[] PNG =
      ImageEncoding.png(TestImages.randomPixels(1, 28, 28, 1), 1, 28, 28);
  private static final byte[] RGB_PNG =
      ImageEncoding.png(TestImages.randomPixels(3, 32, 24, 2), 3, 32, 24);
  private static final byte[] JPEG =
      ImageEncoding.jpeg(TestImages.randomPixels(3, 32, 32, 3), 3, 32, 32);
  private static final byte[] GRAY_JPEG =
      ImageEncoding.jpeg(TestImages.randomPixels(1, 40, 30, 4), 1, 40, 30);

  private final ImageDecoder decoder = new ImageDecoder(LIMITS);
  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new InputShape(1, 28, 28), Normalization.unit(1));

  @Property(tries = 1500, seed = "20261122")
  void mutatedImagesDecodeOrAreRefused(@ForAll("mutatedImages") byte[] bytes) {
    decodeOrRefuse(bytes);
  }

  @Property(tries = 500, seed = "7")
  void arbitraryBytesDecodeOrAreRefused(@ForAll @Size(max = 2048) byte[] bytes) {
    decodeOrRefuse(bytes);
  }

  /** Decodes or is refused within 5 s; collects the outcome (jqwik's statistics). */
  private void decodeOrRefuse(byte[] bytes) {
    String outcome =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> {
              BufferedImage image;
              try {
                image = decoder.decode(bytes);
              } catch (RejectedInputException e) {
                assertThat(e.reason()).isNotNull();
                assertThat(e.getMessage()).isNotBlank();
                return e.reason().name();
              }
              assertThat(image.getWidth()).isBetween(LIMITS.minSide(), LIMITS.maxSide());
              assertThat(image.getHeight()).isBetween(LIMITS.minSide(), LIMITS.maxSide());
              float[] input = preprocessor.preprocess(image);
              assertThat(input).hasSize(28 * 28);
              for (float v : input) {
                assertThat(Float.isFinite(v)).as("finite input").isTrue();
              }
              return "decoded";
            });
    Statistics.collect(outcome);
  }

  @Provide
  Arbitrary<byte[]> mutatedImages() {
    Arbitrary<byte[]> valid = Arbitraries.of(PNG, RGB_PNG, JPEG, GRAY_JPEG);
    return Arbitraries.oneOf(
        valid.flatMap(ImageDecoderFuzzTest::overwritten),
        valid.flatMap(ImageDecoderFuzzTest::truncated),
        valid.flatMap(ImageDecoderFuzzTest::inserted),
        pngWithSize());
  }

  /** 1-16 bytes replaced by random values. */
  private static Arbitrary<byte[]> overwritten(byte[] image) {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, image.length - 1);
    return Combinators.combine(at.list().ofMinSize(1).ofMaxSize(16), Arbitraries.bytes().list())
        .as(
            (positions, values) -> {
              byte[] out = image.clone();
              for (int i = 0; i < positions.size(); i++) {
                out[positions.get(i)] = values.isEmpty() ? 0 : values.get(i % values.size());
              }
              return out;
            });
  }

  private static Arbitrary<byte[]> truncated(byte[] image) {
    return Arbitraries.integers()
        .between(0, image.length - 1)
        .map(length -> Arrays.copyOf(image, length));
  }

  /** Up to 64 random bytes inserted at one place. */
  private static Arbitrary<byte[]> inserted(byte[] image) {
    return Combinators.combine(
            Arbitraries.integers().between(0, image.length),
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64))
        .as(
            (at, extra) -> {
              ByteBuffer out = ByteBuffer.allocate(image.length + extra.length);
              out.put(image, 0, at).put(extra).put(image, at, image.length - at);
              return out.array();
            });
  }

  /** The grey PNG with its IHDR width and height replaced: zero, negative, huge or small. */
  private static Arbitrary<byte[]> pngWithSize() {
    Arbitrary<Integer> side =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-2, 40),
            Arbitraries.of(List.of(1023, 1024, 1025, 65_535, 1 << 20, Integer.MAX_VALUE)),
            Arbitraries.integers());
    return Combinators.combine(side, side)
        .as(
            (w, h) -> {
              byte[] out = PNG.clone();
              ByteBuffer.wrap(out, 16, 8).putInt(w).putInt(h); // IHDR's width and height
              return out;
            });
  }
}
