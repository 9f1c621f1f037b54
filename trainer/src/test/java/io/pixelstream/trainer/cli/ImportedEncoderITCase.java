package io.pixelstream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.embed.TestEncoders;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import io.pixelstream.core.model.ResizeMode;
import io.pixelstream.core.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer import} for real: TorchScript and ONNX files made by python3-torch, Fashion-MNIST
 * images resized and turned RGB for them, DJL embedding, the registry on disk, and the same
 * promotion gate a trained model meets. The current model is a conv autoencoder; an encoder that
 * only sees each channel's brightness must be rejected, a CNN trained on labels must win.
 */
class ImportedEncoderITCase {

  private static final String[] LIMITS = {
    "--input", "3x32x32", "--train-limit", "1000", "--eval-limit", "500", "--seeds", "3"
  };

  private static String[] importing(String... extra) {
    String[] all = new String[LIMITS.length + extra.length];
    System.arraycopy(LIMITS, 0, all, 0, LIMITS.length);
    System.arraycopy(extra, 0, all, LIMITS.length, extra.length);
    return all;
  }

  /** {@code trainer promote} on the same held-out images and seeds as the imports. */
  private static String promote(Path registry, String version) throws Exception {
    return TrainerCliITCase.run(
        "promote", registry, "--eval-limit", "500", "--seeds", "3", "--version", version);
  }

  @Test
  void promotedOnlyWhenItBeatsTheCurrentAutoencoder(@TempDir Path registry) throws Exception {
    ModelRegistry reg = new ModelRegistry(registry);
    reg.register(
        RandomModel.create(
            "autoencoder",
            "2026-11-30T00:00:00Z",
            EncoderSpec.fashionMnist(),
            Normalization.unit(1),
            10,
            42));
    reg.makeCurrent("autoencoder", "promote", Map.of());

    Path meanpool = TestEncoders.file("meanpool", EncoderFormat.ONNX);
    String weak =
        TrainerCliITCase.run(
            "import",
            registry,
            importing("--onnx", meanpool.toString(), "--version", "meanpool", "--report", "false"));
    assertThat(weak)
        .startsWith("0\n")
        .contains("ONNX model, input 3x32x32, 3-d output")
        .contains("raw pixels")
        .contains("registered meanpool");
    String rejected = promote(registry, "meanpool");
    assertThat(rejected).startsWith("1\n").contains("rejected meanpool");
    assertThat(reg.current()).contains("autoencoder");

    Path backbone = TestEncoders.backbone().resolve("backbone.pt");
    String strong =
        TrainerCliITCase.run(
            "import",
            registry,
            importing(
                "--torchscript",
                backbone.toString(),
                "--version",
                "cnn",
                "--normalize",
                "true",
                "--resize",
                "center-crop"));
    assertThat(strong).contains("TORCHSCRIPT model, input 3x32x32, 64-d output, L2-normalised");
    ModelArtifact cnn = reg.read("cnn");
    assertThat(cnn.manifest().encoderFormat()).isEqualTo(EncoderFormat.TORCHSCRIPT);
    assertThat(cnn.manifest().resize()).isEqualTo(ResizeMode.CENTER_CROP);
    assertThat(reg.read("meanpool").manifest().resize()).isEqualTo(ResizeMode.STRETCH);
    assertThat(cnn.manifest().modelFile().sha256()).isEqualTo(ModelArtifacts.sha256(backbone));
    assertThat(cnn.modelFile()).isEqualTo(reg.versionDir("cnn").resolve("encoder.pt"));
    assertThat(cnn.manifest().clustering().k()).isEqualTo(10);
    assertThat(cnn.manifest().evaluation()).containsKeys("nmi", "precisionAt10", "rawPixels");
    assertThat(reg.versionDir("cnn").resolve("report").resolve("report.md"))
        .content()
        .contains("Imported, not trained here: backbone.pt (TORCHSCRIPT)");
    String promoted = promote(registry, "cnn");
    assertThat(promoted).startsWith("0\n").contains("promoted cnn");
    assertThat(reg.current()).contains("cnn");
    System.out.printf(
        "import: meanpool NMI %.4f (rejected), cnn NMI %.4f (promoted over the autoencoder)%n",
        reg.read("meanpool").manifest().evaluation().get("nmi"),
        cnn.manifest().evaluation().get("nmi"));
  }

  @Test
  void brokenFilesGetAClearErrorAndRegisterNothing(@TempDir Path work) throws Exception {
    Path registry = work.resolve("registry");
    Path garbage = work.resolve("model.onnx");
    byte[] bytes = new byte[2048];
    new Random(3).nextBytes(bytes);
    Files.write(garbage, bytes);
    assertThatThrownBy(
            () ->
                TrainerCliITCase.run(
                    "import", registry, importing("--onnx", garbage.toString(), "--version", "g")))
        .hasMessageContaining(garbage + " is not a ONNX model OnnxRuntime can load");
    Path featureMap = TestEncoders.file("featuremap", EncoderFormat.TORCHSCRIPT);
    assertThatThrownBy(
            () ->
                TrainerCliITCase.run(
                    "import",
                    registry,
                    importing("--torchscript", featureMap.toString(), "--version", "f")))
        .hasMessageContaining("one vector per image");
    assertThatThrownBy(
            () ->
                TrainerCliITCase.run(
                    "import",
                    registry,
                    importing(
                        "--torchscript",
                        featureMap.toString(),
                        "--onnx",
                        garbage.toString(),
                        "--version",
                        "both")))
        .hasMessageContaining("exactly one of --torchscript and --onnx");
    assertThat(new ModelRegistry(registry).versions()).isEmpty();
  }
}
