package io.pixelstream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.WeightDecay;

class AutoencoderGraphTest {

  private static AutoencoderConfig config(double weightDecay) {
    return config(weightDecay, 0);
  }

  private static AutoencoderConfig config(double weightDecay, double dropout) {
    return config(weightDecay, dropout, AutoencoderConfig.Init.HE_NORMAL);
  }

  private static AutoencoderConfig config(
      double weightDecay, double dropout, AutoencoderConfig.Init init) {
    return new AutoencoderConfig(
        new EncoderSpec(new InputShape(1, 28, 28), new int[] {4, 8}, 8, true),
        3,
        1.0,
        0,
        0,
        1e-3,
        1.0,
        weightDecay,
        dropout,
        init,
        5);
  }

  private static BaseLayer layer(ComputationGraph graph, String name) {
    return (BaseLayer) graph.getLayer(name).conf().getLayer();
  }

  @Test
  void weightDecayRegularisesWeightsButNotBiases() {
    ComputationGraph graph = AutoencoderGraph.build(config(5e-4));
    for (String name :
        new String[] {"conv1", "bottleneck", "dec_dense", AutoencoderGraph.CLASSES}) {
      BaseLayer layer = layer(graph, name);
      assertThat(layer.getRegularization())
          .as(name)
          .singleElement()
          .isInstanceOfSatisfying(
              WeightDecay.class, w -> assertThat(w.getCoeff().valueAt(0, 0)).isEqualTo(5e-4));
      assertThat(layer.getRegularizationBias()).as(name + " bias").isEmpty();
    }
  }

  @Test
  void noWeightDecayByDefault() {
    ComputationGraph graph = AutoencoderGraph.build(config(0));
    assertThat(layer(graph, "conv1").getRegularization()).isEmpty();
  }

  @Test
  void dropoutOnlyOnTheBottlenecksInputAndOnlyWhileTraining() {
    ComputationGraph graph = AutoencoderGraph.build(config(0, 0.25));
    assertThat(layer(graph, "bottleneck").getIDropout())
        .isInstanceOfSatisfying(Dropout.class, d -> assertThat(d.getP()).isEqualTo(0.75));
    assertThat(layer(graph, "conv1").getIDropout()).isNull();
    assertThat(layer(graph, "dec_dense").getIDropout()).isNull();

    java.util.Random random = new java.util.Random(3);
    float[][] images = new float[4][28 * 28];
    for (float[] image : images) {
      for (int i = 0; i < image.length; i++) {
        image[i] = (float) random.nextGaussian();
      }
    }
    InputShape shape = new InputShape(1, 28, 28);
    float[][] first = Dl4jEmbedder.embed(graph, images, shape, 4);
    assertThat(Dl4jEmbedder.embed(graph, images, shape, 4))
        .as("embedding (inference) never drops")
        .isDeepEqualTo(first);
  }

  @ParameterizedTest
  @CsvSource({
    // layer, fan-in (conv: channels in x 3 x 3), init, variance, bound (0: unbounded normal)
    "conv2, 36, HE_NORMAL, 0.05556, 0",
    "bottleneck, 392, HE_NORMAL, 0.005102, 0",
    "conv2, 36, FAN_IN_UNIFORM, 0.009259, 0.16667",
    "bottleneck, 392, FAN_IN_UNIFORM, 0.0008503, 0.050508"
  })
  void weightsStartWithTheChosenInitAndBiasesAtZero(
      String name, int fanIn, AutoencoderConfig.Init init, double variance, double bound) {
    ComputationGraph graph = AutoencoderGraph.build(config(0, 0, init));
    INDArray w = graph.getLayer(name).getParam("W");
    assertThat(w.length() % fanIn).isZero();
    double measured = w.var(false).getDouble(0) + Math.pow(w.meanNumber().doubleValue(), 2);
    assertThat(measured).as("second moment of " + name).isCloseTo(variance, within(variance * 0.2));
    if (bound > 0) {
      assertThat(w.amaxNumber().doubleValue()).isLessThanOrEqualTo(bound);
    }
    assertThat(graph.getLayer(name).getParam("b").amaxNumber().doubleValue()).isZero();
  }

  private static AutoencoderConfig vanilla(InputShape shape, double turnWeight, int classes) {
    return vanilla(shape, turnWeight, 0, classes);
  }

  private static AutoencoderConfig vanilla(
      InputShape shape, double turnWeight, double contrastWeight, int classes) {
    return new AutoencoderConfig(
        new EncoderSpec(shape, new int[] {4}, 8, true),
        classes,
        1.0,
        turnWeight,
        contrastWeight,
        1e-3,
        1.0,
        0,
        0,
        AutoencoderConfig.Init.FAN_IN_UNIFORM,
        5);
  }

  @Test
  void turnWeightAddsAFourWayHeadOnTheEmbedding() {
    ComputationGraph graph = AutoencoderGraph.build(vanilla(new InputShape(3, 8, 8), 2.5, 0));

    assertThat(graph.getConfiguration().getNetworkOutputs())
        .containsExactly(AutoencoderGraph.RECONSTRUCTION, AutoencoderGraph.TURNS);
    assertThat(graph.getLayer(AutoencoderGraph.TURNS).getParam("W").shape())
        .containsExactly(8, AutoencoderGraph.TURN_CLASSES);
    assertThat(
            AutoencoderGraph.build(vanilla(new InputShape(3, 8, 8), 0, 0))
                .getConfiguration()
                .getNetworkOutputs())
        .containsExactly(AutoencoderGraph.RECONSTRUCTION);
  }

  @Test
  void turnWeightOnlyForTheVanillaVariantOnSquareImages() {
    assertThatThrownBy(() -> vanilla(new InputShape(3, 8, 8), 1, 10))
        .hasMessageContaining("turnWeight is for the vanilla autoencoder");
    assertThatThrownBy(() -> vanilla(new InputShape(3, 8, 16), 1, 0))
        .hasMessageContaining("square");
    assertThatThrownBy(() -> vanilla(new InputShape(3, 8, 8), -1, 0))
        .hasMessageContaining("turnWeight must be >= 0");
  }

  @Test
  void contrastWeightAddsAContrastiveOutputOnTheEmbedding() {
    ComputationGraph graph = AutoencoderGraph.build(vanilla(new InputShape(3, 8, 8), 1, 0.5, 0));

    assertThat(graph.getConfiguration().getNetworkOutputs())
        .containsExactly(
            AutoencoderGraph.RECONSTRUCTION, AutoencoderGraph.TURNS, AutoencoderGraph.CONTRAST);
    assertThat(graph.getConfiguration().getVertexInputs().get(AutoencoderGraph.CONTRAST))
        .containsExactly(AutoencoderGraph.EMBEDDING);
    assertThat(graph.getLayer(AutoencoderGraph.CONTRAST).numParams()).isZero();
    assertThatThrownBy(() -> vanilla(new InputShape(3, 8, 8), 0, 1, 10))
        .hasMessageContaining("contrastWeight is for the vanilla autoencoder");
    assertThatThrownBy(() -> vanilla(new InputShape(3, 8, 8), 0, -1, 0))
        .hasMessageContaining("contrastWeight must be >= 0");
  }

  @Test
  void rejectsANegativeWeightDecay() {
    assertThatThrownBy(() -> config(-1e-4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weightDecay");
  }
}
