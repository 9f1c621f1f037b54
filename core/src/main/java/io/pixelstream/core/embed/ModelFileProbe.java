package io.pixelstream.core.embed;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.InvalidArtifactException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Checks a TorchScript or ONNX file before it becomes an encoder: that it is a file of that format
 * its engine loads, that it takes a batch of the declared input shape, and that it gives one finite
 * vector per image. Its answer, the vector's length, is the embedding dimension an imported model's
 * manifest records.
 *
 * <pre>{@code
 * int dim = ModelFileProbe.outputDim(Path.of("resnet.onnx"), EncoderFormat.ONNX,
 *     InputShape.parse("3x224x224"));
 * }</pre>
 */
public final class ModelFileProbe {

  /** Images in the probe's batch: more than one, so a model that ignores the batch shows. */
  static final int BATCH = 3;

  private static final byte[] ZIP = {'P', 'K', 3, 4};

  private ModelFileProbe() {}

  /**
   * The length of the vector {@code file} gives per image, from a forward pass on the CPU over a
   * batch of seeded random inputs.
   *
   * @throws InvalidArtifactException saying what is wrong with the file, naming it
   */
  public static int outputDim(Path file, EncoderFormat format, InputShape input)
      throws InvalidArtifactException {
    if (!format.hasModelFile()) {
      throw new IllegalArgumentException("format must name a model file kind, got " + format);
    }
    checkContainer(file, format);
    ZooModel<float[][], float[][]> model;
    try {
      model = ModelFileEncoder.load(file, format, input, Device.cpu());
    } catch (IllegalArgumentException e) {
      throw new InvalidArtifactException(e.getMessage(), e);
    }
    try (model;
        Predictor<float[][], float[][]> predictor = model.newPredictor()) {
      float[][] out;
      try {
        out = predictor.predict(randomInputs(input));
      } catch (TranslateException | RuntimeException e) {
        Throwable cause =
            e instanceof TranslateException && e.getCause() != null ? e.getCause() : e;
        String what =
            cause instanceof IllegalStateException
                ? cause.getMessage()
                : "it does not run on a batch of "
                    + input
                    + " images: "
                    + ModelFileEncoder.brief(cause);
        throw new InvalidArtifactException(file + ": " + what, e);
      }
      for (float[] row : out) {
        for (float v : row) {
          if (!Float.isFinite(v)) {
            throw new InvalidArtifactException(
                file + " gives non-finite values (" + v + ") for ordinary inputs");
          }
        }
      }
      if (out[0].length == 0) {
        throw new InvalidArtifactException(file + " gives empty vectors");
      }
      return out[0].length;
    }
  }

  /**
   * The kind of model file {@code file} is by its first bytes: {@link EncoderFormat#TORCHSCRIPT}
   * for a zip archive (what {@code torch.jit.save} writes), else {@link EncoderFormat#ONNX}
   * (protobuf has no magic number; {@link #outputDim} then finds out whether it is one).
   */
  public static EncoderFormat formatOf(Path file) throws InvalidArtifactException {
    return isZip(file) ? EncoderFormat.TORCHSCRIPT : EncoderFormat.ONNX;
  }

  private static boolean isZip(Path file) throws InvalidArtifactException {
    byte[] head = new byte[ZIP.length];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new InvalidArtifactException("cannot read " + file + ": " + e, e);
    }
    return read == ZIP.length && Arrays.equals(head, ZIP);
  }

  /** TorchScript files are zip archives ({@code torch.jit.save}); ONNX files are protobuf. */
  private static void checkContainer(Path file, EncoderFormat format)
      throws InvalidArtifactException {
    boolean zip = isZip(file);
    if (format == EncoderFormat.TORCHSCRIPT && !zip) {
      throw new InvalidArtifactException(
          file + " is not a TorchScript file (those are zip archives written by torch.jit.save)");
    }
    if (format == EncoderFormat.ONNX && zip) {
      throw new InvalidArtifactException(
          file + " is a zip archive (a TorchScript file?), not an ONNX model");
    }
  }

  private static float[][] randomInputs(InputShape input) {
    Random random = new Random(42);
    float[][] inputs = new float[BATCH][input.size()];
    for (float[] x : inputs) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
    }
    return inputs;
  }
}
