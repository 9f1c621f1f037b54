package io.pixelstream.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic, randomly initialised model so the pipeline runs before any training: He-normal
 * conv and linear weights, zero biases, identity batch norm, Gaussian centroids. The same seed
 * gives the same arrays, bit for bit.
 */
public final class RandomModel {

  private RandomModel() {}

  /**
   * Builds the artifact.
   *
   * @param version model version to write in the manifest
   * @param created ISO-8601 creation time
   * @param spec the encoder to initialise
   * @param normalization pixel normalisation to record
   * @param k number of centroids
   * @param seed seed for every random draw
   */
  public static ModelArtifact create(
      String version,
      String created,
      EncoderSpec spec,
      Normalization normalization,
      int k,
      long seed) {
    return create(version, created, spec.input(), spec.layers(), normalization, k, seed);
  }

  /**
   * Builds the artifact of any architecture, e.g. one {@link EncoderSpec} does not describe; the
   * embedding size is the architecture's output length.
   *
   * @param input the encoder's input shape
   * @param layers the encoder's layers, ending in a flat vector
   */
  public static ModelArtifact create(
      String version,
      String created,
      InputShape input,
      List<Layer> layers,
      Normalization normalization,
      int k,
      long seed) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    int embeddingDim = Architecture.outputDim(input, layers);
    Random random = new Random(seed);
    Map<String, NdArray> weights = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : Architecture.parameterShapes(input, layers).entrySet()) {
      weights.put(e.getKey(), init(e.getKey(), e.getValue(), random));
    }
    float[][] centroids = new float[k][embeddingDim];
    for (float[] row : centroids) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    ModelManifest manifest =
        new ModelManifest(
            ModelManifest.FORMAT_VERSION,
            version,
            created,
            input,
            normalization,
            embeddingDim,
            "EUCLIDEAN",
            layers,
            null,
            new ModelManifest.Clustering(k, centroids),
            Map.of("kind", "random-init", "seed", seed),
            Map.of(),
            EncoderFormat.LAYERS,
            null,
            null);
    return new ModelArtifact(manifest, weights);
  }

  private static NdArray init(String key, int[] shape, Random random) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] data = new float[n];
    String param = key.substring(key.lastIndexOf('.') + 1);
    switch (param) {
      case "weight" -> {
        int fanIn = n / shape[0];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
          data[i] = (float) (random.nextGaussian() * std);
        }
      }
      case "gamma", "running_var" -> java.util.Arrays.fill(data, 1f);
      default -> {} // bias, beta, running_mean start at zero
    }
    return new NdArray(shape, data);
  }
}
