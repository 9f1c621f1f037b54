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
  LAYERS("npz", "PyTorch"),
  /**
   * A TorchScript file ({@code encoder.pt}, made by {@code torch.jit.trace} or {@code script}),
   * followed by the manifest's {@code architecture} when it has layers (a head on its output).
   */
  TORCHSCRIPT("pt", "PyTorch"),
  /** An ONNX file ({@code encoder.onnx}), followed by the architecture's layers when it has any. */
  ONNX("onnx", "OnnxRuntime");

  private final String extension;
  private final String engine;

  EncoderFormat(String extension, String engine) {
    this.extension = extension;
    this.engine = engine;
  }

  /** Whether the encoder starts with a model file ({@link ModelManifest#modelFile()}). */
  public boolean hasModelFile() {
    return this != LAYERS;
  }

  /** The name the artifact folder gives the encoder's file: {@code encoder.<extension>}. */
  public String fileName() {
    return "encoder." + extension;
  }

  /** The DJL engine that runs the model file (or the layer list). */
  public String engine() {
    return engine;
  }
}
