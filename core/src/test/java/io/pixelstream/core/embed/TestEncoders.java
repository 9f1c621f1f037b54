package io.pixelstream.core.embed;

import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.InvalidArtifactException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.NdArray;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The test encoders, made by {@code make_test_encoders.py} with Debian's python3-torch into {@code
 * target/test-encoders} once per build (the machine reaches no model hub): {@code resnet-64} and
 * {@code resnet-224} (ResNet-shaped, 3x64x64 and 3x224x224 inputs, 32-d output) as {@code .pt} and
 * {@code .onnx} with {@code .expected.npz} (PyTorch's outputs on fixed inputs), and the broken
 * {@code featuremap} and {@code nonfinite} models, and {@code meanpool} (3x32x32 input, each
 * channel's mean: valid, but clusters badly).
 */
public final class TestEncoders {

  public static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = "make_test_encoders.py";
  private static final String BACKBONE_SCRIPT = "train_backbone.py";

  /** Training images, epochs and seed of {@link #backbone()}. */
  public static final int BACKBONE_IMAGES = 3000;

  public static final int BACKBONE_EPOCHS = 3;

  private static Path dir;
  private static Path backbone;

  private TestEncoders() {}

  /** The folder of test encoders, made on first use. */
  public static synchronized Path dir() {
    if (dir == null) {
      dir = once(Path.of("target", "test-encoders"), SCRIPT, List.of());
    }
    return dir;
  }

  /**
   * The folder holding {@code backbone.pt} and {@code backbone.onnx}: a small CNN trained with the
   * labels of the first {@value #BACKBONE_IMAGES} Fashion-MNIST training images for {@value
   * #BACKBONE_EPOCHS} epochs (seed 1) by {@code train_backbone.py}; input 3x32x32, 64-d features.
   */
  public static synchronized Path backbone() {
    if (backbone == null) {
      backbone =
          once(
              Path.of("target", "test-backbone"),
              BACKBONE_SCRIPT,
              List.of(String.valueOf(BACKBONE_IMAGES), String.valueOf(BACKBONE_EPOCHS), "1"));
    }
    return backbone;
  }

  /** Runs {@code script} into {@code dir} unless an earlier run finished there. */
  private static Path once(Path dir, String script, List<String> args) {
    Path out = dir.toAbsolutePath();
    try {
      if (!Files.exists(out.resolve("done"))) {
        run(out, script, args);
        Files.writeString(out.resolve("done"), "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void run(Path out, String name, List<String> args) throws IOException {
    Files.createDirectories(out);
    Path script = out.resolve(name);
    try (InputStream in = TestEncoders.class.getResourceAsStream(name)) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new java.util.ArrayList<>(List.of(PYTHON, script.toString(), "."));
    command.addAll(args);
    Process p =
        new ProcessBuilder(command)
            .directory(out.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("make.log").toFile())
            .start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(
            name + " failed; its output:\n" + Files.readString(out.resolve("make.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making test encoders", e);
    }
  }

  /** The model file {@code name} ({@code resnet-64}, ...) in {@code format}. */
  public static Path file(String name, EncoderFormat format) {
    return dir().resolve(name + (format == EncoderFormat.ONNX ? ".onnx" : ".pt"));
  }

  /** {@code input} and {@code output} of the model {@code name}, as PyTorch computed them. */
  public static Map<String, NdArray> expected(String name) throws IOException {
    try (InputStream in = Files.newInputStream(dir().resolve(name + ".expected.npz"))) {
      return Npz.read(in);
    }
  }

  /**
   * An artifact of the model file {@code name} in {@code format}: 3-channel input of {@code
   * size}x{@code size}, pixels scaled to [0, 1], the probed output as the embedding and {@code k}
   * random centroids (seed {@code seed}).
   */
  public static ModelArtifact artifact(
      String name, EncoderFormat format, int size, String version, int k, long seed)
      throws InvalidArtifactException {
    Path file = file(name, format);
    InputShape input = new InputShape(3, size, size);
    int dim = ModelFileProbe.outputDim(file, format, input);
    Random random = new Random(seed);
    float[][] centroids = new float[k][dim];
    for (float[] c : centroids) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) random.nextGaussian();
      }
    }
    ModelManifest manifest =
        ModelManifest.ofModelFile(
                version,
                "2026-11-30T00:00:00Z",
                input,
                Normalization.unit(3),
                format,
                dim,
                dim,
                List.of(),
                Map.of("kind", "test encoder " + name))
            .withClustering(new ModelManifest.Clustering(k, centroids));
    return new ModelArtifact(manifest, Map.of(), file);
  }
}
