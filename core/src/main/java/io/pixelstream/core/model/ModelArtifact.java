package io.pixelstream.core.model;

import java.util.Map;

/**
 * A model artifact in memory: the manifest and the encoder's weights ({@code <layer>.<param>} ->
 * array). Read and written by {@link ModelArtifacts}, which checks one against the other.
 */
public record ModelArtifact(ModelManifest manifest, Map<String, NdArray> weights) {

  public ModelArtifact {
    weights = Map.copyOf(weights);
  }

  /** The manifest's version, for logs and index paths. */
  public String version() {
    return manifest.version();
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
