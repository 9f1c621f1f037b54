package io.pixelstream.trainer.model;

import io.pixelstream.core.model.InputShape;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs the graph's encoder alone (inference mode) to get embeddings, batch by batch. */
public final class Dl4jEmbedder {

  private Dl4jEmbedder() {}

  /** NCHW features for {@code inputs[from..to)}. */
  public static INDArray features(float[][] inputs, int from, int to, InputShape shape) {
    int size = shape.size();
    float[] flat = new float[(to - from) * size];
    for (int i = from; i < to; i++) {
      System.arraycopy(inputs[i], 0, flat, (i - from) * size, size);
    }
    return Nd4j.create(
        flat, new long[] {to - from, shape.channels(), shape.height(), shape.width()}, 'c');
  }

  /** One embedding per input, computed {@code batch} at a time. */
  public static float[][] embed(
      ComputationGraph graph, float[][] inputs, InputShape shape, int batch) {
    float[][] out = new float[inputs.length][];
    for (int from = 0; from < inputs.length; from += batch) {
      int to = Math.min(inputs.length, from + batch);
      INDArray emb =
          graph
              .output(
                  List.of(AutoencoderGraph.EMBEDDING),
                  false,
                  new INDArray[] {features(inputs, from, to, shape)},
                  null)[0];
      for (int i = from; i < to; i++) {
        out[i] = emb.getRow(i - from).dup().toFloatVector();
      }
    }
    return out;
  }
}
