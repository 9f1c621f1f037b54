package io.pixelstream.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRuntimeTest {

  private static final ModelArtifact PLAIN = model("plain", Normalization.unit(1));
  private static final ModelArtifact RMS =
      model("rms", Normalization.unit(1).withPerImage(Normalization.PerImage.UNIT_RMS));

  private static ModelArtifact model(String version, Normalization norm) {
    return RandomModel.create(
        version, "2026-01-01T00:00:00Z", EncoderSpec.fashionMnist(), norm, 4, 7);
  }

  private static ModelRuntime runtime(ModelArtifact artifact) {
    return ModelRuntime.of(artifact, ImageLimits.DEFAULT, ImageEncoder.DeviceChoice.CPU);
  }

  @Test
  void preparesWithItsOwnModelsPreprocessingAndEmbedsLikeTheEncoder() throws Exception {
    byte[] png = TestImages.grayPng(28, 28, 3);
    try (ModelRuntime plain = runtime(PLAIN);
        ModelRuntime rms = runtime(RMS);
        ImageEncoder direct = ImageEncoder.open(RMS, ImageEncoder.DeviceChoice.CPU)) {
      float[] input = rms.prepare("a".getBytes(StandardCharsets.UTF_8), png, null, null).input();
      float[] expected =
          new ImagePreprocessor(RMS.manifest().input(), RMS.manifest().normalization())
              .preprocess(rms.decode(png));
      assertThat(input).containsExactly(expected);
      assertThat(plain.prepare("a".getBytes(StandardCharsets.UTF_8), png, null, null).input())
          .isNotEqualTo(input);

      float[] vector = rms.embed(new float[][] {input})[0];
      assertThat(vector).containsExactly(direct.embed(new float[][] {input})[0]);
      assertThat(rms.centroids().nearest(vector)).isBetween(0, 3);
    }
  }

  @Test
  void preparesLikeComparesInputShapeAndNormalisation() {
    try (ModelRuntime plain = runtime(PLAIN)) {
      assertThat(plain.preparesLike(model("other-weights", Normalization.unit(1)).manifest()))
          .isTrue();
      assertThat(plain.preparesLike(RMS.manifest())).isFalse();
    }
  }

  @Test
  void reembedKeepsStoredFieldsAndLeavesUndecodableImagesNull() {
    byte[] good = TestImages.grayPng(28, 28, 5);
    IndexedImage a = new IndexedImage("a", new float[] {0}, 0, 3, "src", "old", 1L, 2L, good);
    IndexedImage bad =
        new IndexedImage("b", new float[] {0}, 0, null, null, "old", 1L, 2L, new byte[] {1, 2});
    try (ModelRuntime rms = runtime(RMS)) {
      List<IndexedImage> out = rms.reembed(List.of(a, bad));
      assertThat(out).hasSize(2);
      assertThat(out.get(1)).isNull();
      IndexedImage copy = out.get(0);
      assertThat(copy.id()).isEqualTo("a");
      assertThat(copy.label()).isEqualTo(3);
      assertThat(copy.source()).isEqualTo("src");
      assertThat(copy.eventTime()).isEqualTo(2L);
      assertThat(copy.modelVersion()).isEqualTo("rms");
      assertThat(copy.image()).isSameAs(good);
      float[] expected = rms.embed(new float[][] {rms.preprocess(decode(rms, good))})[0];
      assertThat(Arrays.equals(copy.vector(), expected)).isTrue();
      assertThat(copy.cluster()).isEqualTo(rms.centroids().nearest(expected));
    }
  }

  @Test
  void refusesWhatTheLimitsRefuse() {
    ImageLimits tiny = new ImageLimits(16, 1, 64, 64 * 64);
    try (ModelRuntime r = ModelRuntime.of(PLAIN, tiny, ImageEncoder.DeviceChoice.CPU)) {
      assertThatThrownBy(() -> r.decode(TestImages.grayPng(28, 28, 1)))
          .isInstanceOf(RejectedInputException.class);
    }
  }

  private static java.awt.image.BufferedImage decode(ModelRuntime r, byte[] png) {
    try {
      return r.decode(png);
    } catch (RejectedInputException e) {
      throw new AssertionError(e);
    }
  }
}
