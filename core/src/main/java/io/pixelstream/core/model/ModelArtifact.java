package io.pixelstream.core.model;

import java.nio.file.Path;
import java.util.Map;

/**
 * A model artifact in memory: the manifest, the weights of its layer list ({@code <layer>.<param>}
 * -> array) and, for an encoder that starts with a TorchScript or ONNX file, where that file is on
 * disk. Read and written by {@link ModelArtifacts}, which checks one against the other.
 *
 * @param modelFile the encoder's model file; null for {@link EncoderFormat#LAYERS}
 */
public record ModelArtifact(ModelManifest manifest, Map<String, NdArray> weights, Path modelFile) {

  public ModelArtifact {
    weights = Map.copyOf(weights);
  }

  /** An artifact with no model file: its encoder is the layer list alone. */
  public ModelArtifact(ModelManifest manifest, Map<String, NdArray> weights) {
    this(manifest, weights, null);
  }

  /** The manifest's version, for logs and index paths. */
  public String version() {
    return manifest.version();
  }

  /** This artifact with {@code m} as its manifest, the same weights and model file. */
  public ModelArtifact withManifest(ModelManifest m) {
    return new ModelArtifact(m, weights, modelFile);
  }

  /** The weight array {@code key}, or an exception that names it. */
  public NdArray weight(String key) {
    NdArray a = weights.get(key);
    if (a == null) {
      throw new IllegalArgumentException("weights hold no array '" + key + "'");
    }
    return a;
  }
}
