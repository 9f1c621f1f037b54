package io.pixelstream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.registry.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's commands for real (DL4J training, DJL evaluation, registry on disk), on tiny runs:
 * a few batches of Fashion-MNIST and of a generated CIFAR-10 binary file.
 */
class TrainerCliITCase {

  private static final String[] TINY = {
    "--train-limit", "600", "--eval-limit", "300", "--max-batches", "3", "--epochs", "2",
    "--batch-size", "64", "--seeds", "2", "--widths", "8,16", "--embedding-dim", "16"
  };

  static String run(String command, Path registry, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String[] all = new String[args.length + 2];
    all[0] = "--registry";
    all[1] = registry.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = TrainerCli.run(command, all, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    return code + "\n" + out;
  }

  private static String[] with(String... extra) {
    String[] all = new String[TINY.length + extra.length];
    System.arraycopy(TINY, 0, all, 0, TINY.length);
    System.arraycopy(extra, 0, all, TINY.length, extra.length);
    return all;
  }

  @Test
  void trainPromoteRejectAndHistoryOnFashionMnist(@TempDir Path registry) throws Exception {
    String first = run("train", registry, with("--version", "tiny-1"));
    assertThat(first)
        .contains("raw pixels")
        .contains("pixels, unit-rms")
        .contains("tiny-1")
        .contains("registered tiny-1");
    ModelRegistry reg = new ModelRegistry(registry);
    ModelArtifact artifact = reg.read("tiny-1");
    assertThat(artifact.manifest().evaluation())
        .containsKeys(
            "nmi",
            "randIndex",
            "adjustedRandIndex",
            "precisionAt10",
            "mapAt10",
            "reconstructionMse",
            "classAccuracy",
            "rawPixels",
            "perImagePixels");
    assertThat((Double) artifact.manifest().evaluation().get("nmi")).isBetween(0.0, 1.0);
    assertThat(artifact.manifest().clustering().k()).isEqualTo(10);
    for (String png :
        new String[] {
          "loss.png",
          "quality.png",
          "reconstructions.png",
          "embeddings-pca.png",
          "embeddings-tsne.png",
          "queries.png"
        }) {
      assertThat(reg.versionDir("tiny-1").resolve("report").resolve(png)).isNotEmptyFile();
    }

    assertThat(
            run("promote", registry, "--version", "tiny-1", "--eval-limit", "300", "--seeds", "2"))
        .startsWith("0\n")
        .contains("promoted tiny-1: no current model");
    assertThat(reg.current()).contains("tiny-1");

    String vanilla =
        run(
            "train",
            registry,
            with(
                "--version",
                "tiny-2",
                "--variant",
                "vanilla",
                "--per-image",
                "none",
                "--init",
                "he-normal",
                "--turn-weight",
                "0.5",
                "--contrast-weight",
                "0.5",
                "--augment",
                "true",
                "--report",
                "false"));
    assertThat(vanilla).contains("raw pixels").doesNotContain("pixels, unit-rms");
    ModelArtifact unscaled = reg.read("tiny-2");
    assertThat(artifact.manifest().normalization().perImage())
        .as("the default")
        .isEqualTo(Normalization.PerImage.UNIT_RMS);
    assertThat(unscaled.manifest().normalization().perImage())
        .isEqualTo(Normalization.PerImage.NONE);
    assertThat(unscaled.manifest().evaluation())
        .containsKey("rawPixels")
        .doesNotContainKey("perImagePixels");
    assertThat(artifact.manifest().training())
        .as("the default")
        .containsEntry("init", "fan-in-uniform");
    assertThat(unscaled.manifest().training())
        .containsEntry("init", "he-normal")
        .containsEntry("variant", "vanilla")
        .containsEntry("turnWeight", 0.5)
        .containsEntry("contrastWeight", 0.5);
    String rejected =
        run(
            "promote",
            registry,
            "--version",
            "tiny-2",
            "--margin",
            "0.99",
            "--eval-limit",
            "300",
            "--seeds",
            "2");
    assertThat(rejected)
        .startsWith("1\n")
        .contains("rejected tiny-2")
        .contains("not above the margin");
    assertThat(reg.current()).contains("tiny-1");
    assertThat(reg.history())
        .extracting(e -> e.get("action") + ":" + e.get("version"))
        .containsExactly("register:tiny-1", "promote:tiny-1", "register:tiny-2", "reject:tiny-2");
    Map<String, Object> rejection = reg.history().get(3);
    assertThat(rejection).containsKeys("candidateNmi", "currentNmi", "reason");

    assertThat(run("evaluate", registry, "--eval-limit", "300", "--seeds", "2"))
        .contains("raw pixels")
        .contains("tiny-1");
    assertThatThrownBy(() -> run("rollback", registry)).hasMessageContaining("first promoted");
  }

  @Test
  void scheduleTrainsEvaluatesAndGatesEachRun(@TempDir Path registry) throws Exception {
    String out =
        run(
            "schedule",
            registry,
            with("--every", "1s", "--times", "2", "--report", "false", "--margin", "0.5"));
    assertThat(out).startsWith("0\n").contains("promoted").contains("rejected");
    ModelRegistry reg = new ModelRegistry(registry);
    assertThat(reg.versions()).hasSize(2);
    assertThat(reg.history())
        .extracting(e -> (String) e.get("action"))
        .containsExactly("register", "promote", "register", "reject");
  }

  @Test
  void trainsOnCifar10TrainingFilesAloneAndEvaluatesOnTheSameHeldOutSplit(@TempDir Path work)
      throws Exception {
    Path cifar = work.resolve("cifar");
    Files.createDirectories(cifar);
    byte[] bytes = new byte[200 * 3073];
    for (int r = 0; r < 200; r++) {
      int label = r % 10;
      bytes[r * 3073] = (byte) label;
      byte[] pixels = TestImages.randomPixels(3, 32, 32, r);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) ((pixels[i] & 0x3F) + label * 19); // a class-dependent brightness
      }
      System.arraycopy(pixels, 0, bytes, r * 3073 + 1, 3072);
    }
    Files.write(cifar.resolve("data_batch_1.bin"), bytes);
    Path registry = work.resolve("registry");
    String data = "cifar10:" + cifar;
    String trained =
        run(
            "train",
            registry,
            with("--preset", "colour-photos", "--data", data, "--version", "cifar-tiny"));
    String heldOut =
        "40 of the 200 images of the CIFAR-10 training files (the first fifth of a permutation"
            + " with seed 42)";
    assertThat(trained)
        .contains("3x32x32")
        .contains("160 train / 40 held-out images")
        .contains("held out: " + heldOut)
        .contains("validation NMI")
        .contains("registered cifar-tiny");
    ModelArtifact artifact = new ModelRegistry(registry).read("cifar-tiny");
    assertThat(artifact.manifest().input().channels()).isEqualTo(3);
    assertThat(artifact.manifest().training())
        .containsEntry("heldOut", heldOut)
        .containsEntry("normalizedEmbedding", true) // from the preset
        .containsEntry("augment", true);
    assertThat(artifact.manifest().evaluation()).containsEntry("items", 40);
    assertThat(Files.readString(registry.resolve("versions/cifar-tiny/report/report.md")))
        .contains("Held out: " + heldOut);

    // evaluate embeds the same 40 held-out images: the same figures as at training
    String evaluated =
        run("evaluate", registry, "--data", data, "--version", "cifar-tiny", "--seeds", "2");
    assertThat(rowOf(evaluated, "cifar-tiny")).isEqualTo(rowOf(trained, "cifar-tiny"));
    assertThat(rowOf(evaluated, "raw pixels")).isEqualTo(rowOf(trained, "raw pixels"));
  }

  /** The table row that starts with {@code name}. */
  private static String rowOf(String output, String name) {
    return output.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
  }

  @Test
  void clearErrorsForBadInput(@TempDir Path work) {
    assertThatThrownBy(() -> run("train", work, with("--data", "cifar10:" + work.resolve("nope"))))
        .hasMessageContaining("data_batch");
    assertThatThrownBy(() -> run("train", work, with("--data", "imagenet")))
        .hasMessageContaining("unknown --data");
    assertThatThrownBy(() -> run("evaluate", work, "--version", "missing"))
        .hasMessageContaining("manifest.json");
    assertThatThrownBy(() -> run("bogus", work)).hasMessageContaining("unknown command");
    assertThatThrownBy(() -> run("train", work, with("--per-image", "histogram")))
        .hasMessageContaining("--per-image must be none or unit-rms, got 'histogram'");
    assertThatThrownBy(() -> run("train", work, with("--init", "xavier")))
        .hasMessageContaining("--init must be he-normal or fan-in-uniform, got 'xavier'");
    assertThatThrownBy(() -> run("train", work, with("--turn-weight", "1")))
        .hasMessageContaining("turnWeight is for the vanilla autoencoder");
    assertThatThrownBy(
            () ->
                run(
                    "train",
                    work,
                    with("--variant", "vanilla", "--backbone", "b.pt", "--turn-weight", "1")))
        .hasMessageContaining("with --backbone it sees features");
    assertThatThrownBy(
            () ->
                run(
                    "train",
                    work,
                    with("--variant", "vanilla", "--backbone", "b.pt", "--contrast-weight", "1")))
        .hasMessageContaining("with --backbone the autoencoder sees features");
    assertThatThrownBy(
            () ->
                run(
                    "train",
                    work,
                    with("--variant", "vanilla", "--contrast-weight", "1", "--augment", "false")))
        .hasMessageContaining("contrastWeight needs augmentation");
  }
}
