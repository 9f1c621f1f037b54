package io.pixelstream.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.NdArray;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {

  private static ModelArtifact artifact;

  /** A random model whose batch-norm arrays are not the identity, so a mix-up would show. */
  @BeforeAll
  static void model() {
    ModelArtifact base =
        RandomModel.create(
            "enc-test",
            "2026-01-01T00:00:00Z",
            EncoderSpec.fashionMnist(),
            Normalization.unit(1),
            4,
            99);
    Random random = new Random(3);
    Map<String, NdArray> weights = new HashMap<>(base.weights());
    for (String bn : new String[] {"bn1", "bn2"}) {
      for (String p : new String[] {"gamma", "beta", "running_mean", "running_var"}) {
        NdArray a = weights.get(bn + "." + p);
        float[] d = new float[a.data().length];
        for (int i = 0; i < d.length; i++) {
          d[i] =
              p.equals("running_var") ? 0.5f + random.nextFloat() : (float) random.nextGaussian();
        }
        weights.put(bn + "." + p, new NdArray(a.shape(), d));
      }
    }
    artifact = new ModelArtifact(base.manifest(), weights);
  }

  private static float[][] inputs(int n, long seed) {
    return inputs(n, 28 * 28, seed);
  }

  private static float[][] inputs(int n, int size, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[n][size];
    for (float[] row : x) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void matchesThePlainJavaReferenceWithin1e4() {
    float[][] x = inputs(5, 8);
    try (ImageEncoder encoder = ImageEncoder.open(artifact, ImageEncoder.DeviceChoice.CPU)) {
      float[][] got = encoder.embed(x);
      assertThat(got).hasNumberOfRows(5);
      for (float[] row : got) {
        assertThat(row).hasSize(64);
      }
      assertMatchesReference(artifact, x, got);
    }
  }

  /** Each embedding within 1e-4 (relative above 1) of the plain-Java reference's, dim by dim. */
  private static void assertMatchesReference(ModelArtifact model, float[][] x, float[][] got) {
    assertThat(got).hasNumberOfRows(x.length);
    for (int i = 0; i < x.length; i++) {
      float[] expected = ReferenceForward.embed(model, x[i]);
      assertThat(got[i]).hasSize(expected.length);
      for (int d = 0; d < expected.length; d++) {
        assertThat(got[i][d])
            .as("image %d dim %d", i, d)
            .isCloseTo(expected[d], within(1e-4f * Math.max(1, Math.abs(expected[d]))));
      }
    }
  }

  @Test
  void normalizedEncoderGivesUnitVectorsMatchingTheReference() {
    EncoderSpec plain = EncoderSpec.fashionMnist();
    EncoderSpec spec = new EncoderSpec(plain.input(), plain.widths(), 32, true);
    ModelArtifact normalized =
        RandomModel.create("l2", "2026-01-01T00:00:00Z", spec, Normalization.unit(1), 4, 5);
    assertThat(normalized.manifest().architecture().get(spec.layers().size() - 1))
        .isInstanceOf(io.pixelstream.core.model.Layer.L2Normalize.class);
    float[][] x = inputs(4, 10);
    try (ImageEncoder encoder = ImageEncoder.open(normalized, ImageEncoder.DeviceChoice.CPU)) {
      float[][] got = encoder.embed(x);
      for (int i = 0; i < x.length; i++) {
        float[] expected = ReferenceForward.embed(normalized, x[i]);
        double norm = 0;
        for (int d = 0; d < 32; d++) {
          norm += got[i][d] * got[i][d];
          assertThat(got[i][d]).isCloseTo(expected[d], within(1e-5f));
        }
        assertThat(Math.sqrt(norm)).as("norm of %d", i).isCloseTo(1.0, within(1e-5));
      }
    }
  }

  /**
   * Pooling is built from strided views (see {@link EncoderBlocks}): overlapping windows (kernel 3,
   * stride 2) and odd sizes, whose last row and column no window covers, must pool as PyTorch does.
   */
  @Test
  void poolsOverlappingWindowsAndOddSizesAsTheReference() {
    InputShape input = new InputShape(3, 15, 15);
    List<Layer> layers =
        List.of(
            new Layer.Conv2d("conv1", 3, 4, 3, 1, 1),
            new Layer.MaxPool2d("pool1", 3, 2), // 15 -> 7, windows overlap
            new Layer.Relu("relu1"),
            new Layer.MaxPool2d("pool2", 2, 2), // 7 -> 3, the last row and column dropped
            new Layer.Flatten("flatten"),
            new Layer.Linear("fc", 4 * 3 * 3, 8));
    ModelArtifact odd =
        RandomModel.create(
            "pool-test", "2026-01-01T00:00:00Z", input, layers, Normalization.unit(3), 1, 21);
    float[][] x = inputs(3, input.size(), 22);
    try (ImageEncoder encoder = ImageEncoder.open(odd, ImageEncoder.DeviceChoice.CPU)) {
      float[][] got = encoder.embed(x);
      for (float[] row : got) {
        assertThat(row).hasSize(8);
      }
      assertMatchesReference(odd, x, got);
    }
  }

  @Test
  void batchSizeDoesNotChangeEmbeddings() {
    float[][] x = inputs(7, 9);
    try (ImageEncoder encoder = ImageEncoder.open(artifact, ImageEncoder.DeviceChoice.AUTO)) {
      float[][] batch = encoder.embed(x);
      for (int i = 0; i < x.length; i++) {
        float[] single = encoder.embed(new float[][] {x[i]})[0];
        for (int d = 0; d < single.length; d++) {
          assertThat(single[d]).isCloseTo(batch[i][d], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
      assertThat(encoder.embed(new float[0][])).isEmpty();
    }
  }

  @Test
  void refusesInputsOfTheWrongSize() {
    try (ImageEncoder encoder = ImageEncoder.open(artifact, ImageEncoder.DeviceChoice.CPU)) {
      assertThatThrownBy(() -> encoder.embed(new float[][] {new float[10]}))
          .hasRootCauseMessage("an input has 10 values, the encoder takes 784");
    }
  }
}
