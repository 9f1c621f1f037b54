package io.pixelstream.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.pixelstream.core.SchemaFiles;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.InvalidArtifactException;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.NdArray;
import io.pixelstream.core.runtime.ModelRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ModelFileEncoderTest {

  /** Rows of {@code flat}, {@code dim} values each. */
  private static float[][] rows(NdArray a) {
    int n = a.shape()[0];
    int dim = a.data().length / n;
    float[][] out = new float[n][dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a.data(), i * dim, out[i], 0, dim);
    }
    return out;
  }

  private static double maxAbsDiff(float[][] a, float[][] b) {
    assertThat(a.length).isEqualTo(b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).hasSameSizeAs(b[i]);
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }

  @ParameterizedTest
  @CsvSource({
    "resnet-64, 64, TORCHSCRIPT",
    "resnet-64, 64, ONNX",
    "resnet-224, 224, TORCHSCRIPT",
    "resnet-224, 224, ONNX"
  })
  void djlMatchesPyTorchWithin1e4(String name, int size, EncoderFormat format, @TempDir Path dir)
      throws IOException {
    Map<String, NdArray> expected = TestEncoders.expected(name);
    ModelArtifact written =
        ModelArtifacts.write(dir, TestEncoders.artifact(name, format, size, "v1", 4, 1));
    ModelArtifact read = ModelArtifacts.read(dir);
    assertThat(read.modelFile()).isEqualTo(dir.resolve(format.fileName()));
    assertThat(read.manifest().modelFile().sha256())
        .isEqualTo(written.manifest().modelFile().sha256());
    assertThat(read.manifest().embeddingDim()).isEqualTo(32);
    float[][] inputs = rows(expected.get("input"));
    float[][] want = rows(expected.get("output"));
    try (ImageEncoder encoder = ImageEncoder.open(read, ImageEncoder.DeviceChoice.CPU)) {
      assertThat(maxAbsDiff(encoder.embed(inputs), want)).isLessThanOrEqualTo(1e-4);
      // one at a time gives the same vectors as the batch
      assertThat(maxAbsDiff(encoder.embedAll(inputs, 1), want)).isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void largeInputsAreEmbeddedInBoundedForwardPasses() throws IOException {
    assertThat(ImageEncoder.maxBatch(new InputShape(3, 224, 224))).isEqualTo(55);
    assertThat(ImageEncoder.maxBatch(new InputShape(1, 28, 28))).isEqualTo(10_699);
    Map<String, NdArray> expected = TestEncoders.expected("resnet-224");
    float[][] inputs = rows(expected.get("input"));
    float[][] want = rows(expected.get("output"));
    int n = 60; // more than one forward pass takes at 3x224x224
    float[][] many = new float[n][];
    float[][] wantMany = new float[n][];
    for (int i = 0; i < n; i++) {
      many[i] = inputs[i % inputs.length];
      wantMany[i] = want[i % want.length];
    }
    ModelArtifact artifact =
        TestEncoders.artifact("resnet-224", EncoderFormat.ONNX, 224, "big", 2, 1);
    try (ModelRuntime runtime =
        ModelRuntime.of(artifact, ImageLimits.DEFAULT, ImageEncoder.DeviceChoice.CPU)) {
      assertThat(maxAbsDiff(runtime.embed(many), wantMany)).isLessThanOrEqualTo(1e-4);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = EncoderFormat.class,
      names = {"TORCHSCRIPT", "ONNX"})
  void layersAfterTheFileRunOnItsOutput(EncoderFormat format, @TempDir Path dir)
      throws IOException {
    ModelArtifact plain = TestEncoders.artifact("resnet-64", format, 64, "plain", 2, 1);
    Random random = new Random(5);
    float[] w = new float[8 * 32];
    float[] b = new float[8];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian() / 6;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextGaussian();
    }
    ModelManifest m = plain.manifest();
    ModelManifest headed =
        new ModelManifest(
            m.formatVersion(),
            "headed",
            m.created(),
            m.input(),
            m.normalization(),
            8,
            m.similarity(),
            List.of(
                new Layer.Linear("bottleneck", 32, 8), new Layer.L2Normalize("embedding", 1e-8)),
            null,
            new ModelManifest.Clustering(1, new float[1][8]),
            m.training(),
            m.evaluation(),
            format,
            m.modelFile(),
            null);
    Map<String, NdArray> weights =
        Map.of(
            "bottleneck.weight", new NdArray(new int[] {8, 32}, w),
            "bottleneck.bias", new NdArray(new int[] {8}, b));
    ModelArtifacts.write(dir, new ModelArtifact(headed, weights, plain.modelFile()));
    ModelArtifact read = ModelArtifacts.read(dir);
    float[][] inputs = rows(TestEncoders.expected("resnet-64").get("input"));
    float[][] features = rows(TestEncoders.expected("resnet-64").get("output"));
    float[][] want = new float[features.length][8];
    for (int n = 0; n < features.length; n++) {
      double norm = 0;
      for (int o = 0; o < 8; o++) {
        double v = b[o];
        for (int i = 0; i < 32; i++) {
          v += w[o * 32 + i] * features[n][i];
        }
        want[n][o] = (float) v;
        norm += v * v;
      }
      for (int o = 0; o < 8; o++) {
        want[n][o] /= (float) Math.sqrt(norm);
      }
    }
    try (ImageEncoder encoder = ImageEncoder.open(read, ImageEncoder.DeviceChoice.CPU)) {
      assertThat(maxAbsDiff(encoder.embed(inputs), want)).isLessThanOrEqualTo(1e-4);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = EncoderFormat.class,
      names = {"TORCHSCRIPT", "ONNX"})
  void probeRefusesBrokenFilesWithAClearError(EncoderFormat format, @TempDir Path dir)
      throws IOException {
    InputShape rgb64 = new InputShape(3, 64, 64);
    Path garbage = dir.resolve("garbage." + format.fileName());
    byte[] bytes = new byte[4096];
    new Random(9).nextBytes(bytes);
    Files.write(garbage, bytes);
    assertThatThrownBy(() -> ModelFileProbe.outputDim(garbage, format, rgb64))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining(garbage.toString())
        .hasMessageContaining(format == EncoderFormat.ONNX ? "can load" : "not a TorchScript");
    EncoderFormat other =
        format == EncoderFormat.ONNX ? EncoderFormat.TORCHSCRIPT : EncoderFormat.ONNX;
    Path wrongKind = TestEncoders.file("resnet-64", other);
    assertThatThrownBy(() -> ModelFileProbe.outputDim(wrongKind, format, rgb64))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining(format == EncoderFormat.ONNX ? "zip archive" : "not a TorchScript");
    Path resnet = TestEncoders.file("resnet-64", format);
    assertThatThrownBy(() -> ModelFileProbe.outputDim(resnet, format, new InputShape(1, 64, 64)))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("does not run on a batch of 1x64x64 images");
    assertThatThrownBy(
            () -> ModelFileProbe.outputDim(TestEncoders.file("featuremap", format), format, rgb64))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("one vector per image");
    assertThatThrownBy(
            () -> ModelFileProbe.outputDim(TestEncoders.file("nonfinite", format), format, rgb64))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("non-finite");
    assertThat(ModelFileProbe.outputDim(resnet, format, rgb64)).isEqualTo(32);
  }

  @ParameterizedTest
  @EnumSource(
      value = EncoderFormat.class,
      names = {"TORCHSCRIPT", "ONNX"})
  void writtenManifestFollowsTheJsonSchema(EncoderFormat format, @TempDir Path dir)
      throws IOException {
    JsonSchema schema = SchemaFiles.manifest();
    ModelArtifacts.write(dir, TestEncoders.artifact("resnet-64", format, 64, "v1", 2, 1));
    ObjectNode manifest =
        (ObjectNode) ModelArtifacts.json().readTree(dir.resolve("manifest.json").toFile());
    assertThat(manifest.get("encoderFormat").asText()).isEqualTo(format.name());
    assertThat(manifest.has("weights")).isFalse();
    assertThat(schema.validate(manifest)).isEmpty();
    manifest.remove("modelFile");
    assertThat(schema.validate(manifest)).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = EncoderFormat.class,
      names = {"TORCHSCRIPT", "ONNX"})
  void aChangedModelFileIsRefusedOnRead(EncoderFormat format, @TempDir Path dir)
      throws IOException {
    ModelArtifacts.write(dir, TestEncoders.artifact("resnet-64", format, 64, "v1", 2, 1));
    Path file = dir.resolve(format.fileName());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> ModelArtifacts.read(dir))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("modelFile file " + file)
        .hasMessageContaining("but the manifest says");
    Files.delete(file);
    assertThatThrownBy(() -> ModelArtifacts.read(dir)).hasMessageContaining("is missing");
  }
}
