package io.pixelstream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

class ContrastiveLossTest {

  /** The loss as a graph output straight on the input: the embedding is the input itself. */
  private static ComputationGraph graph(double weight, double temperature, double lr) {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .updater(new Sgd(lr))
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.feedForward(3))
            .addLayer(
                "dense",
                new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build(),
                "in")
            .addLayer("contrast", new ContrastiveLoss(weight, temperature), "dense")
            .setOutputs("contrast")
            .build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    g.getLayer("dense").setParam("W", Nd4j.eye(3));
    g.getLayer("dense").setParam("b", Nd4j.zeros(1, 3));
    return g;
  }

  /** NT-Xent by hand: rows i and (i + n/2) mod n are partners. */
  private static double expected(double[][] e, double weight, double t) {
    int n = e.length;
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      double norm = Math.sqrt(e[i][0] * e[i][0] + e[i][1] * e[i][1] + e[i][2] * e[i][2]);
      z[i] = new double[] {e[i][0] / norm, e[i][1] / norm, e[i][2] / norm};
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double denom = 0;
      double positive = 0;
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        double s = (z[i][0] * z[j][0] + z[i][1] * z[j][1] + z[i][2] * z[j][2]) / t;
        denom += Math.exp(s);
        if (j == (i + n / 2) % n) {
          positive = s;
        }
      }
      sum += Math.log(denom) - positive;
    }
    return weight * sum / n;
  }

  @Test
  void scoresNtXentOfEachRowAgainstItsPartner() {
    double[][] e = {{1, 0.2, -0.5}, {0.1, 2, 0.3}, {0.9, 0.4, -0.3}, {-1, 1, 0.5}};
    ComputationGraph g = graph(2, 0.5, 0);
    INDArray x = Nd4j.createFromArray(e).castTo(DataType.FLOAT);
    double score =
        g.score(
            new MultiDataSet(new INDArray[] {x}, new INDArray[] {ContrastiveLoss.labels(2)}),
            false);
    assertThat(score).isCloseTo(expected(e, 2, 0.5), within(1e-4));
  }

  @Test
  void trainingDrawsPartnersTogether() {
    double[][] e = {{1, 0, 0}, {0, 1, 0}, {0.6, 0.8, 0}, {0, 0.2, 1}};
    ComputationGraph g = graph(1, 0.5, 0.1);
    INDArray x = Nd4j.createFromArray(e).castTo(DataType.FLOAT);
    MultiDataSet batch =
        new MultiDataSet(new INDArray[] {x}, new INDArray[] {ContrastiveLoss.labels(2)});
    double before = g.score(batch, false);
    for (int i = 0; i < 50; i++) {
      g.fit(batch);
    }
    assertThat(g.score(batch, false)).isLessThan(before - 0.1);
  }

  @Test
  void labelsMarkEachRowsPartnerAndItself() {
    INDArray y = ContrastiveLoss.labels(2);
    assertThat(y.toDoubleMatrix())
        .isDeepEqualTo(new double[][] {{-1, 0, 1, 0}, {0, -1, 0, 1}, {1, 0, -1, 0}, {0, 1, 0, -1}});
    assertThatThrownBy(() -> ContrastiveLoss.labels(0)).hasMessageContaining("pairs must be >= 1");
    assertThatThrownBy(() -> new ContrastiveLoss(0, 0.5)).hasMessageContaining("weight");
    assertThatThrownBy(() -> new ContrastiveLoss(1, 0)).hasMessageContaining("temperature");
  }
}
