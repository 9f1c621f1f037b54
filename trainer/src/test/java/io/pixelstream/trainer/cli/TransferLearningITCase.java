package io.pixelstream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.embed.TestEncoders;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code trainer train --backbone} for real: a CNN trained on Fashion-MNIST labels by python3-torch
 * for a few epochs (the backbone), DJL embedding the images through it, DL4J training the dense
 * autoencoder on its features, the artifact (backbone file + trained layers) evaluated through DJL
 * and checked against DL4J's own embeddings of the same features.
 */
class TransferLearningITCase {

  @ParameterizedTest
  @CsvSource({"supervised, backbone.pt, TORCHSCRIPT", "vanilla, backbone.onnx, ONNX"})
  void trainsADenseHeadOnFrozenBackboneFeatures(
      String variant, String file, EncoderFormat format, @TempDir Path registry) throws Exception {
    Path backbone = TestEncoders.backbone().resolve(file);
    String out =
        TrainerCliITCase.run(
            "train",
            registry,
            "--backbone",
            backbone.toString(),
            "--input",
            "3x32x32",
            "--variant",
            variant,
            "--train-limit",
            "4000",
            "--eval-limit",
            "500",
            "--epochs",
            "6",
            "--seeds",
            "3",
            "--hidden",
            "128",
            "--embedding-dim",
            "32",
            "--version",
            variant);
    assertThat(out)
        .startsWith("0\n")
        .contains("a dense " + variant + " head on the 64-d features of " + backbone)
        .contains("backbone features")
        .containsPattern("the trained head (beats|does not beat) the raw backbone features")
        .contains("registered " + variant);
    ModelArtifact artifact = new ModelRegistry(registry).read(variant);
    assertThat(artifact.manifest().encoderFormat()).isEqualTo(format);
    assertThat(artifact.manifest().modelFile().outputDim()).isEqualTo(64);
    assertThat(artifact.manifest().embeddingDim()).isEqualTo(32);
    assertThat(artifact.manifest().architecture())
        .extracting(Layer::name)
        .containsExactly("hidden", "hidden_relu", "embedding");
    assertThat(artifact.weight("hidden.weight").shape()).containsExactly(128, 64);
    Map<String, Object> evaluation = artifact.manifest().evaluation();
    assertThat((Double) evaluation.get("djlDl4jMaxAbsDifference")).isLessThanOrEqualTo(1e-4);
    double head = (Double) evaluation.get("nmi");
    @SuppressWarnings("unchecked")
    double features =
        (Double) ((Map<String, Object>) evaluation.get("backboneFeatures")).get("nmi");
    System.out.printf(
        "transfer learning, %s head: NMI %.4f, raw backbone features %.4f, DJL vs DL4J %.2e%n",
        variant, head, features, evaluation.get("djlDl4jMaxAbsDifference"));
    if (variant.equals("supervised")) {
      // the labels teach the head what the backbone's features only partly separate
      assertThat(head).isGreaterThan(features);
    } else {
      assertThat(head).isBetween(0.0, 1.0);
    }
  }
}
