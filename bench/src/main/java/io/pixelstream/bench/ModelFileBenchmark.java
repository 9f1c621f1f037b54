package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.embed.ModelFileProbe;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Imported encoders' throughput through DJL: ResNet-18-shaped TorchScript and ONNX files (random
 * weights, made by {@code make_test_encoders.py --resnet18}) at 3x64x64 and 3x224x224, batches 1,
 * 32 and 256, one intra-op thread as the job runs each encoder; {@code bench/peers/model_files.py}
 * runs the same TorchScript files in PyTorch. Each figure: a warm-up call, then calls until at
 * least 5 s and 2 calls have passed. Writes JSON.
 *
 * <pre>deploy/local/java.sh bench io.pixelstream.bench.ModelFileBenchmark --models DIR</pre>
 */
public final class ModelFileBenchmark {

  private ModelFileBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli = CliArgs.parse(args, Set.of("models", "out", "tiny"));
    Path models = Path.of(cli.required("models"));
    Path out = Path.of(cli.get("out", "bench/results/model-files.json"));
    boolean tiny = cli.has("tiny");
    List<Integer> batches = tiny ? List.of(1, 4) : List.of(1, 32, 256);
    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Double> rates = new LinkedHashMap<>();
    for (EncoderFormat format : List.of(EncoderFormat.TORCHSCRIPT, EncoderFormat.ONNX)) {
      for (int size : List.of(64, 224)) {
        Path file =
            models.resolve(
                "resnet18-" + size + "." + (format == EncoderFormat.ONNX ? "onnx" : "pt"));
        ModelArtifact artifact = artifact(file, format, new InputShape(3, size, size));
        try (ImageEncoder encoder = ImageEncoder.open(artifact, ImageEncoder.DeviceChoice.AUTO)) {
          for (int batch : batches) {
            double r = imagesPerSecond(encoder, batch, tiny ? 0.5 : 5, tiny ? 1 : 2);
            rates.put(format + "/" + size + "/" + batch, r);
            System.out.printf(
                "DJL %s resnet18-%d on %s, batch %d: %.1f images/s%n",
                format, size, encoder.device(), batch, r);
          }
        }
      }
    }
    result.put("threads", 1);
    result.put("imagesPerSecond", rates);
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelArtifacts.json().writeValue(out.toFile(), result);
  }

  private static double imagesPerSecond(
      ImageEncoder encoder, int batch, double minSeconds, int minCalls) {
    Random random = new Random(7);
    float[][] inputs = new float[batch][encoder.manifest().input().size()];
    for (float[] row : inputs) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    encoder.embed(inputs); // warm-up
    long start = System.nanoTime();
    int calls = 0;
    while (calls < minCalls || System.nanoTime() - start < minSeconds * 1e9) {
      encoder.embed(inputs);
      calls++;
    }
    return calls * (double) batch / ((System.nanoTime() - start) / 1e9);
  }

  /** The file as an artifact in memory: its probed output is the embedding. */
  private static ModelArtifact artifact(Path file, EncoderFormat format, InputShape input)
      throws Exception {
    int dim = ModelFileProbe.outputDim(file, format, input);
    ModelManifest manifest =
        ModelManifest.ofModelFile(
            "bench",
            "2026-11-30T00:00:00Z",
            input,
            Normalization.unit(3),
            format,
            dim,
            dim,
            List.of(),
            Map.of());
    return new ModelArtifact(manifest, Map.of(), file);
  }
}
