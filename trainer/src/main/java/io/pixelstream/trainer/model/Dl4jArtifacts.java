package io.pixelstream.trainer.model;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.model.Architecture;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.NdArray;
import io.pixelstream.core.model.Normalization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies a trained graph's encoder into a model artifact in the layout DJL (and PyTorch) load: conv
 * weights OIHW as DL4J keeps them, dense weights transposed from DL4J's {@code [in, out]} to {@code
 * [out, in]}, batch-norm running variance as is (the graph is built with {@code useLogStd(false)}).
 */
public final class Dl4jArtifacts {

  private Dl4jArtifacts() {}

  /** The artifact of {@code graph}'s encoder. */
  public static ModelArtifact export(
      ComputationGraph graph,
      AutoencoderConfig config,
      Normalization normalization,
      String version,
      String created,
      Centroids centroids,
      Map<String, Object> training,
      Map<String, Object> evaluation) {
    List<Layer> layers = config.encoder().layers();
    Map<String, NdArray> weights = new LinkedHashMap<>();
    Map<String, int[]> shapes = Architecture.parameterShapes(config.encoder().input(), layers);
    for (Layer layer : layers) {
      String n = layer.name();
      if (layer instanceof Layer.Conv2d) {
        weights.put(n + ".weight", copy(graph, n, "W", shapes.get(n + ".weight"), false));
        weights.put(n + ".bias", copy(graph, n, "b", shapes.get(n + ".bias"), false));
      } else if (layer instanceof Layer.BatchNorm2d) {
        weights.put(n + ".gamma", copy(graph, n, "gamma", shapes.get(n + ".gamma"), false));
        weights.put(n + ".beta", copy(graph, n, "beta", shapes.get(n + ".beta"), false));
        weights.put(
            n + ".running_mean", copy(graph, n, "mean", shapes.get(n + ".running_mean"), false));
        weights.put(
            n + ".running_var", copy(graph, n, "var", shapes.get(n + ".running_var"), false));
      } else if (layer instanceof Layer.Linear) {
        weights.put(n + ".weight", copy(graph, n, "W", shapes.get(n + ".weight"), true));
        weights.put(n + ".bias", copy(graph, n, "b", shapes.get(n + ".bias"), false));
      }
    }
    ModelManifest manifest =
        new ModelManifest(
            ModelManifest.FORMAT_VERSION,
            version,
            created,
            config.encoder().input(),
            normalization,
            config.encoder().embeddingDim(),
            "EUCLIDEAN",
            layers,
            null,
            new ModelManifest.Clustering(centroids.k(), centroids.toArray()),
            training,
            evaluation,
            EncoderFormat.LAYERS,
            null,
            null);
    return new ModelArtifact(manifest, weights);
  }

  private static NdArray copy(
      ComputationGraph graph, String layer, String param, int[] shape, boolean transpose) {
    INDArray p = graph.getLayer(layer).getParam(param);
    if (p == null) {
      throw new IllegalStateException(
          "layer '" + layer + "' has no DL4J parameter '" + param + "'");
    }
    INDArray source = transpose ? p.transpose() : p;
    return new NdArray(shape, source.dup('c').data().asFloat());
  }
}
