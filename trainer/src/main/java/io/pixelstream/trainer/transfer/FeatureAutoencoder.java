package io.pixelstream.trainer.transfer;

import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.NdArray;
import io.pixelstream.trainer.model.AutoencoderGraph;
import io.pixelstream.trainer.model.Dl4jRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The dense autoencoder on backbone features as a DL4J graph: {@code hidden} (dense + ReLU), the
 * bottleneck ({@code embedding}, or {@code bottleneck} then an L2-normalising {@code embedding}), a
 * mirrored decoder to a {@code reconstruction} of the (standardised) features, and with labels a
 * softmax {@code classes} head on the embedding. {@link #layers} and {@link #weights} export the
 * encoder half in the artifact's layer format, with the feature standardisation folded in.
 */
final class FeatureAutoencoder {

  static final String INPUT = "features";
  static final String HIDDEN = "hidden";
  static final String BOTTLENECK = "bottleneck";

  private FeatureAutoencoder() {}

  /** A new, initialised graph. */
  static ComputationGraph build(FeatureHeadConfig c) {
    Dl4jRuntime.configure();
    ComputationGraphConfiguration.GraphBuilder g =
        new NeuralNetConfiguration.Builder()
            .seed(c.seed())
            .updater(new Adam(c.learningRate()))
            .weightInit(WeightInit.UNIFORM)
            .graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(InputType.feedForward(c.featureDim()));
    g.addLayer(
        HIDDEN,
        new DenseLayer.Builder().nOut(c.hidden()).activation(Activation.RELU).build(),
        INPUT);
    String linear = c.normalized() ? BOTTLENECK : EncoderSpec.EMBEDDING;
    g.addLayer(
        linear,
        new DenseLayer.Builder().nOut(c.embeddingDim()).activation(Activation.IDENTITY).build(),
        HIDDEN);
    if (c.normalized()) {
      g.addVertex(
          EncoderSpec.EMBEDDING, new L2NormalizeVertex(new int[] {1}, EncoderSpec.L2_EPS), linear);
    }
    g.addLayer(
        "dec_hidden",
        new DenseLayer.Builder().nOut(c.hidden()).activation(Activation.RELU).build(),
        EncoderSpec.EMBEDDING);
    g.addLayer(
        AutoencoderGraph.RECONSTRUCTION,
        new OutputLayer.Builder(new LossMSE())
            .nOut(c.featureDim())
            .activation(Activation.IDENTITY)
            .build(),
        "dec_hidden");
    List<String> outputs = new ArrayList<>(List.of(AutoencoderGraph.RECONSTRUCTION));
    if (c.supervised()) {
      float[] weights = new float[c.numClasses()];
      Arrays.fill(weights, (float) c.classWeight());
      String headInput = EncoderSpec.EMBEDDING;
      if (c.normalized()) {
        headInput = "head_scale";
        g.addVertex(headInput, new ScaleVertex(AutoencoderGraph.HEAD_SCALE), EncoderSpec.EMBEDDING);
      }
      g.addLayer(
          AutoencoderGraph.CLASSES,
          new OutputLayer.Builder(new LossMCXENT(Nd4j.create(weights)))
              .nOut(c.numClasses())
              .activation(Activation.SOFTMAX)
              .build(),
          headInput);
      outputs.add(AutoencoderGraph.CLASSES);
    }
    g.setOutputs(outputs.toArray(String[]::new));
    ComputationGraph graph = new ComputationGraph(g.build());
    graph.init();
    return graph;
  }

  /** Rows {@code from..to} of {@code x} as one DL4J matrix. */
  static INDArray matrix(float[][] x, int from, int to) {
    int d = x[0].length;
    float[] flat = new float[(to - from) * d];
    for (int i = from; i < to; i++) {
      System.arraycopy(x[i], 0, flat, (i - from) * d, d);
    }
    return Nd4j.create(flat, new long[] {to - from, d}, 'c');
  }

  /** The graph's embeddings of standardised features, 256 at a time (inference mode). */
  static float[][] embed(ComputationGraph graph, float[][] scaled) {
    float[][] out = new float[scaled.length][];
    for (int from = 0; from < scaled.length; from += 256) {
      int to = Math.min(scaled.length, from + 256);
      INDArray emb =
          graph
              .output(
                  List.of(EncoderSpec.EMBEDDING),
                  false,
                  new INDArray[] {matrix(scaled, from, to)},
                  null)[0];
      for (int i = from; i < to; i++) {
        out[i] = emb.getRow(i - from).dup().toFloatVector();
      }
    }
    return out;
  }

  /** The encoder half as the artifact's layers, on the backbone's raw features. */
  static List<Layer> layers(FeatureHeadConfig c) {
    List<Layer> layers = new ArrayList<>();
    layers.add(new Layer.Linear(HIDDEN, c.featureDim(), c.hidden()));
    layers.add(new Layer.Relu(HIDDEN + "_relu"));
    if (c.normalized()) {
      layers.add(new Layer.Linear(BOTTLENECK, c.hidden(), c.embeddingDim()));
      layers.add(new Layer.L2Normalize(EncoderSpec.EMBEDDING, EncoderSpec.L2_EPS));
    } else {
      layers.add(new Layer.Linear(EncoderSpec.EMBEDDING, c.hidden(), c.embeddingDim()));
    }
    return layers;
  }

  /**
   * The encoder half's weights in PyTorch's layout ({@code [out, in]}), {@code scaling} folded into
   * the first layer: {@code W' = W / std} per input, {@code b' = b - W' mean}, so the layer takes
   * the backbone's raw features.
   */
  static Map<String, NdArray> weights(
      ComputationGraph graph, FeatureHeadConfig c, FeatureScaling scaling) {
    Map<String, NdArray> weights = new LinkedHashMap<>();
    float[][] w = transposed(graph, HIDDEN); // [hidden][featureDim]
    float[] b = graph.getLayer(HIDDEN).getParam("b").dup().toFloatVector();
    for (int o = 0; o < w.length; o++) {
      double shift = 0;
      for (int i = 0; i < w[o].length; i++) {
        w[o][i] /= scaling.std()[i];
        shift += (double) w[o][i] * scaling.mean()[i];
      }
      b[o] -= (float) shift;
    }
    weights.put(HIDDEN + ".weight", flat(w));
    weights.put(HIDDEN + ".bias", new NdArray(new int[] {b.length}, b));
    String linear = c.normalized() ? BOTTLENECK : EncoderSpec.EMBEDDING;
    weights.put(linear + ".weight", flat(transposed(graph, linear)));
    float[] b2 = graph.getLayer(linear).getParam("b").dup().toFloatVector();
    weights.put(linear + ".bias", new NdArray(new int[] {b2.length}, b2));
    return weights;
  }

  /** A dense layer's {@code W} ([in, out] in DL4J) as [out][in]. */
  private static float[][] transposed(ComputationGraph graph, String layer) {
    INDArray w = graph.getLayer(layer).getParam("W");
    return w.transpose().dup('c').toFloatMatrix();
  }

  private static NdArray flat(float[][] m) {
    float[] data = new float[m.length * m[0].length];
    for (int o = 0; o < m.length; o++) {
      System.arraycopy(m[o], 0, data, o * m[0].length, m[0].length);
    }
    return new NdArray(new int[] {m.length, m[0].length}, data);
  }
}
