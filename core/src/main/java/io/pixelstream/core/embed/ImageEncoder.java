package io.pixelstream.core.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.pixelstream.core.io.NativeHeap;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;

/**
 * The encoder of a model artifact, run by DJL's PyTorch engine: a batch of preprocessed inputs in,
 * one embedding per input out. On a GPU when DJL sees one (unless told otherwise), else on the CPU.
 *
 * <p>Not thread-safe: it holds one DJL {@link Predictor}. Give each thread its own encoder.
 *
 * <pre>{@code
 * try (ImageEncoder encoder = ImageEncoder.open(ModelArtifacts.read(dir), DeviceChoice.AUTO)) {
 *   float[][] embeddings = encoder.embed(inputs);
 * }
 * }</pre>
 */
public final class ImageEncoder implements AutoCloseable {

  /** Which device to run on. */
  public enum DeviceChoice {
    /** The first GPU when the engine sees one, else the CPU. */
    AUTO,
    CPU,
    GPU
  }

  private final ModelManifest manifest;
  private final Model model;
  private final Predictor<float[][], float[][]> predictor;
  private final Device device;

  private ImageEncoder(ModelManifest manifest, Model model, Device device) {
    this.manifest = manifest;
    this.model = model;
    this.device = device;
    this.predictor = model.newPredictor(new EmbeddingTranslator(manifest.input()));
  }

  /** Builds the encoder for {@code artifact} (already checked by {@code ModelArtifacts.read}). */
  public static ImageEncoder open(ModelArtifact artifact, DeviceChoice choice) {
    NativeHeap.keepFreedMemory(); // libtorch's temporaries, see there
    Engine engine = Engine.getEngine("PyTorch");
    Device device =
        switch (choice) {
          case CPU -> Device.cpu();
          case GPU -> {
            if (engine.getGpuCount() == 0) {
              throw new IllegalStateException("device GPU was asked for but PyTorch sees none");
            }
            yield Device.gpu();
          }
          case AUTO -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        };
    Model model = Model.newInstance("encoder-" + artifact.version(), device, "PyTorch");
    try {
      model.setBlock(EncoderBlocks.build(artifact, model.getNDManager()));
      return new ImageEncoder(artifact.manifest(), model, device);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** The device the encoder runs on, e.g. {@code cpu()} or {@code gpu(0)}. */
  public Device device() {
    return device;
  }

  /**
   * Embeds a batch.
   *
   * @param inputs preprocessed CHW inputs, each of the manifest's input size
   * @return one {@code embeddingDim} vector per input, in order
   */
  public float[][] embed(float[][] inputs) {
    if (inputs.length == 0) {
      return new float[0][];
    }
    try {
      return predictor.predict(inputs);
    } catch (TranslateException e) {
      throw new IllegalStateException("encoder failed on a batch of " + inputs.length, e);
    }
  }

  /** Embeds any number of inputs, {@code batchSize} per encoder call. */
  public float[][] embedAll(float[][] inputs, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    float[][] out = new float[inputs.length][];
    for (int from = 0; from < inputs.length; from += batchSize) {
      int to = Math.min(inputs.length, from + batchSize);
      float[][] emb = embed(java.util.Arrays.copyOfRange(inputs, from, to));
      System.arraycopy(emb, 0, out, from, emb.length);
    }
    return out;
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
