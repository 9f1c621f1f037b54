package io.pixelstream.trainer.eval;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.trainer.model.AutoencoderGraph;
import io.pixelstream.trainer.model.Dl4jEmbedder;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Evaluates models on a held-out set. Embeddings come from the artifact through DJL, the path the
 * ingestion job and query API use, so the figures describe what users get; reconstruction error and
 * head accuracy need the full DL4J graph.
 */
public final class ModelEvaluator {

  private static final int BATCH = 256;

  private ModelEvaluator() {}

  /** Normalised inputs of {@code images} for a model with {@code norm}. */
  public static float[][] inputs(LabelledImages images, Normalization norm) {
    return norm.applyAll(images.pixels(), images.shape().channels());
  }

  /**
   * Embeddings of {@code images} by the artifact's runtime (DJL), 256 at a time; each batch is
   * normalised just before its forward pass, so large inputs (3x224x224) never all sit in memory as
   * floats.
   */
  public static float[][] embed(ModelArtifact artifact, LabelledImages images) {
    try (ModelRuntime model =
        ModelRuntime.of(artifact, ImageLimits.DEFAULT, ImageEncoder.DeviceChoice.AUTO)) {
      Normalization norm = model.manifest().normalization();
      float[][] out = new float[images.size()][];
      for (int from = 0; from < images.size(); from += BATCH) {
        int to = Math.min(images.size(), from + BATCH);
        byte[][] pixels = Arrays.copyOfRange(images.pixels(), from, to);
        float[][] emb = model.embed(norm.applyAll(pixels, images.shape().channels()));
        System.arraycopy(emb, 0, out, from, emb.length);
      }
      return out;
    }
  }

  /** Clustering and retrieval quality of the artifact's embeddings. */
  public static EmbeddingEvaluation.Report evaluate(
      ModelArtifact artifact, LabelledImages test, int clusters, long[] seeds) {
    return EmbeddingEvaluation.evaluate(embed(artifact, test), test.labels(), clusters, seeds);
  }

  /**
   * The same evaluation on the pixels scaled to [0, 1] and, with {@code perImage}, by each image's
   * own statistics: the baseline rows (raw pixels, and what per-image scaling alone gives).
   */
  public static EmbeddingEvaluation.Report pixels(
      LabelledImages test, Normalization.PerImage perImage, int clusters, long[] seeds) {
    Normalization scaleOnly = Normalization.unit(test.shape().channels()).withPerImage(perImage);
    return EmbeddingEvaluation.evaluate(inputs(test, scaleOnly), test.labels(), clusters, seeds);
  }

  /** Mean squared reconstruction error in normalised input space. */
  public static double reconstructionMse(
      ComputationGraph graph, float[][] inputs, InputShape shape) {
    double sum = 0;
    long n = 0;
    for (int from = 0; from < inputs.length; from += 256) {
      int to = Math.min(inputs.length, from + 256);
      INDArray x = Dl4jEmbedder.features(inputs, from, to, shape);
      INDArray r =
          graph
              .output(List.of(AutoencoderGraph.RECONSTRUCTION), false, new INDArray[] {x}, null)[0];
      double norm = r.sub(x).norm2Number().doubleValue();
      sum += norm * norm;
      n += x.length();
    }
    return sum / n;
  }

  /** Reconstructions of {@code inputs} (normalised space), for pictures. */
  public static float[][] reconstruct(ComputationGraph graph, float[][] inputs, InputShape shape) {
    INDArray x = Dl4jEmbedder.features(inputs, 0, inputs.length, shape);
    INDArray r =
        graph.output(List.of(AutoencoderGraph.RECONSTRUCTION), false, new INDArray[] {x}, null)[0];
    float[][] out = new float[inputs.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup().data().asFloat();
    }
    return out;
  }

  /** Accuracy of the supervision head. */
  public static double classAccuracy(
      ComputationGraph graph, float[][] inputs, int[] labels, InputShape shape) {
    int correct = 0;
    for (int from = 0; from < inputs.length; from += 256) {
      int to = Math.min(inputs.length, from + 256);
      INDArray x = Dl4jEmbedder.features(inputs, from, to, shape);
      INDArray p =
          graph.output(List.of(AutoencoderGraph.CLASSES), false, new INDArray[] {x}, null)[0];
      INDArray argmax = p.argMax(1);
      for (int i = from; i < to; i++) {
        if (argmax.getInt(i - from) == labels[i]) {
          correct++;
        }
      }
    }
    return correct / (double) inputs.length;
  }
}
