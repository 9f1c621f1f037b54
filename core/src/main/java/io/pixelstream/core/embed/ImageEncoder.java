package io.pixelstream.core.embed;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import java.util.Arrays;

/**
 * The encoder of a model artifact: a batch of preprocessed inputs in, one embedding per input out.
 * {@link #open} picks the implementation by the manifest's {@link
 * io.pixelstream.core.model.EncoderFormat}; each runs on a GPU when the engine sees one (unless
 * told otherwise), else on the CPU.
 *
 * <p>Not thread-safe: give each thread its own encoder ({@link EncoderPool} does).
 *
 * <pre>{@code
 * try (ImageEncoder encoder = ImageEncoder.open(ModelArtifacts.read(dir), DeviceChoice.AUTO)) {
 *   float[][] embeddings = encoder.embed(inputs);
 * }
 * }</pre>
 */
public interface ImageEncoder extends AutoCloseable {

  /** Which device to run on. */
  enum DeviceChoice {
    /** The first GPU when the engine sees one, else the CPU. */
    AUTO,
    CPU,
    GPU;

    /** The device this choice means for DJL's PyTorch engine here. */
    public Device device() {
      return resolve(Engine.getEngine("PyTorch"));
    }

    /** The device this choice means on {@code engine}. */
    Device resolve(Engine engine) {
      return switch (this) {
        case CPU -> Device.cpu();
        case GPU -> {
          if (engine.getGpuCount() == 0) {
            throw new IllegalStateException(
                "device GPU was asked for but " + engine.getEngineName() + " sees none");
          }
          yield Device.gpu();
        }
        case AUTO -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
      };
    }
  }

  /**
   * Most input bytes one forward pass takes: larger batches are split ({@link #maxBatch}), so that
   * large inputs (3x224x224: 602 KB each) keep the per-call native memory bounded as small ones do.
   */
  long MAX_BATCH_INPUT_BYTES = 32L << 20;

  /** The largest batch of {@code input} images one forward pass takes; at least 1. */
  static int maxBatch(InputShape input) {
    return (int)
        Math.max(1, Math.min(Integer.MAX_VALUE, MAX_BATCH_INPUT_BYTES / (4L * input.size())));
  }

  /** Opens the encoder of {@code artifact} (already checked by {@code ModelArtifacts.read}). */
  static ImageEncoder open(ModelArtifact artifact, DeviceChoice choice) {
    return switch (artifact.manifest().encoderFormat()) {
      case LAYERS -> LayerListEncoder.open(artifact, choice);
      case TORCHSCRIPT, ONNX -> ModelFileEncoder.open(artifact, choice);
    };
  }

  ModelManifest manifest();

  /** The device the encoder runs on, e.g. {@code cpu()} or {@code gpu(0)}. */
  Device device();

  /**
   * Embeds a batch.
   *
   * @param inputs preprocessed CHW inputs, each of the manifest's input size
   * @return one {@code embeddingDim} vector per input, in order
   */
  float[][] embed(float[][] inputs);

  /**
   * Normalises raw {@code pixels} as {@code model}'s manifest says and embeds them all, 256 per
   * call, on the device {@link DeviceChoice#AUTO} picks.
   */
  static float[][] embedPixels(ModelArtifact model, byte[][] pixels) {
    float[][] inputs =
        model.manifest().normalization().applyAll(pixels, model.manifest().input().channels());
    try (ImageEncoder encoder = open(model, DeviceChoice.AUTO)) {
      return encoder.embedAll(inputs, 256);
    }
  }

  /** Embeds any number of inputs, {@code batchSize} per encoder call. */
  default float[][] embedAll(float[][] inputs, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    float[][] out = new float[inputs.length][];
    for (int from = 0; from < inputs.length; from += batchSize) {
      int to = Math.min(inputs.length, from + batchSize);
      float[][] emb = embed(Arrays.copyOfRange(inputs, from, to));
      System.arraycopy(emb, 0, out, from, emb.length);
    }
    return out;
  }

  @Override
  void close();
}
