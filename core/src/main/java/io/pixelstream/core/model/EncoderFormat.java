package io.pixelstream.core.model;

/**
 * What kind of encoder an artifact holds, the manifest's {@code encoderFormat}. Opening an encoder
 * ({@code ImageEncoder.open}) and checking an artifact ({@link ModelArtifacts}) switch on it
 * exhaustively, so a new kind is a constant here, the class that runs it, and its schema entry.
 */
public enum EncoderFormat {
  /**
   * The manifest's {@code architecture} (a layer list) with its weights in {@code encoder.npz},
   * rebuilt as a DJL block. Manifests written before the field existed hold this kind.
   */
  LAYERS
}
