package io.pixelstream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.model.Normalization;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Guards the design: the DJL encoder built from an exported artifact and the DL4J graph it came
 * from give the same embeddings (max |difference| <= 1e-4), after a few training steps have moved
 * every weight and the batch-norm statistics away from their initial values.
 */
class EncoderParityTest {

  @ParameterizedTest
  @CsvSource({"1, false", "3, true"})
  void djlFromTheArtifactMatchesDl4j(int channels, boolean normalized, @TempDir Path dir)
      throws Exception {
    InputShape shape = channels == 1 ? new InputShape(1, 28, 28) : new InputShape(3, 32, 32);
    AutoencoderConfig config =
        new AutoencoderConfig(
            new EncoderSpec(shape, new int[] {8, 16}, 16, normalized),
            4,
            2.0,
            0,
            0,
            1e-2,
            1.0,
            0.0,
            0.0,
            AutoencoderConfig.Init.HE_NORMAL,
            7);
    ComputationGraph graph = AutoencoderGraph.build(config);
    Random random = new Random(11);
    float[][] inputs = new float[40][shape.size()];
    for (float[] row : inputs) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    for (int step = 0; step < 5; step++) {
      INDArray x = Dl4jEmbedder.features(inputs, 0, 32, shape);
      INDArray y = Nd4j.zeros(32, 4);
      for (int i = 0; i < 32; i++) {
        y.putScalar(i, random.nextInt(4), 1.0);
      }
      graph.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {x, y}));
    }
    float[][] dl4j = Dl4jEmbedder.embed(graph, inputs, shape, 16);

    ModelArtifact artifact =
        Dl4jArtifacts.export(
            graph,
            config,
            Normalization.unit(channels),
            "parity",
            "2026-01-01T00:00:00Z",
            new Centroids(new float[][] {new float[16]}),
            Map.of(),
            Map.of());
    ModelArtifacts.write(dir, artifact);
    ModelArtifact read = ModelArtifacts.read(dir);
    float maxDiff = 0;
    try (ImageEncoder djl = ImageEncoder.open(read, ImageEncoder.DeviceChoice.CPU)) {
      float[][] got = djl.embed(inputs);
      for (int i = 0; i < inputs.length; i++) {
        for (int d = 0; d < 16; d++) {
          maxDiff = Math.max(maxDiff, Math.abs(got[i][d] - dl4j[i][d]));
        }
      }
    }
    System.out.printf(
        "parity %dx%dx%d%s: max |DJL - DL4J| = %.3g%n",
        channels, shape.height(), shape.width(), normalized ? " l2" : "", maxDiff);
    assertThat(maxDiff).isLessThanOrEqualTo(1e-4f);
    assertThat(artifact.weight("bn1.running_mean").data())
        .as("BN statistics moved")
        .isNotEqualTo(new float[8]);
  }
}
