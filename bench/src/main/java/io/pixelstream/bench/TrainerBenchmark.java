package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.trainer.model.AutoencoderConfig;
import io.pixelstream.trainer.train.AutoencoderTrainer;
import io.pixelstream.trainer.train.TrainingSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Trainer speed: DL4J training images/s of each variant (vanilla autoencoder and the one with the
 * supervision head), over {@code --batches} Adam steps per round after a warm-up round, median and
 * spread over rounds; seconds per epoch projected for the 54,000-image training split the CLI uses.
 * On Fashion-MNIST by default; {@code --input 3x32x32} trains on seeded random images of that shape
 * instead (speed does not depend on the pixels), the colour-photo encoders' case. Prints a table
 * and writes JSON.
 *
 * <pre>deploy/local/java.sh bench io.pixelstream.bench.TrainerBenchmark --runs 3</pre>
 */
public final class TrainerBenchmark {

  private static final String USAGE =
      """
      Usage: TrainerBenchmark [--variants vanilla,supervised] [--widths 16,32]
                              [--embedding-dim 64] [--batches 100] [--batch-size 128]
                              [--input 1x28x28] [--runs 3] [--out bench/results/trainer.json]
                              [--tiny]
        --batches 0  one whole epoch per round (~1 min at 16,32 here, ~2.5 min at 48,96)
        --widths 48,96 is the quality configuration of docs/benchmarks.md
        --input 3x32x32  seeded random images of that shape instead of Fashion-MNIST
        --tiny  5 batches, 1 round: keeps the harness working in CI
      """;

  private static final InputShape FASHION_MNIST = new InputShape(1, 28, 28);

  /** The CLI's split: 10 % of the 60,000 training images are held out for validation. */
  private static final int EPOCH_IMAGES = 54_000;

  private TrainerBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args,
            Set.of(
                "variants",
                "widths",
                "embedding-dim",
                "batches",
                "batch-size",
                "runs",
                "out",
                "input",
                "tiny"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    boolean tiny = cli.has("tiny");
    List<String> variants = List.of(cli.get("variants", "vanilla,supervised").split(","));
    int[] widths =
        Arrays.stream(cli.get("widths", "16,32").split(",")).mapToInt(Integer::parseInt).toArray();
    int dim = cli.getInt("embedding-dim", 64);
    int batches = cli.getInt("batches", tiny ? 5 : 100);
    int batchSize = cli.getInt("batch-size", 128);
    int runs = cli.getInt("runs", tiny ? 1 : 3);
    Path out = Path.of(cli.get("out", "bench/results/trainer.json"));
    for (String v : variants) {
      if (!v.equals("vanilla") && !v.equals("supervised")) {
        throw new IllegalArgumentException("--variants takes vanilla and/or supervised, got " + v);
      }
    }

    // enough images for every step plus a sliver held out (the validation pass stays negligible);
    // --batches 0: all 60,000, one whole epoch per round
    int needed = batches == 0 ? 60_000 : Math.min(60_000, (batches + 1) * batchSize + batchSize);
    InputShape shape = InputShape.parse(cli.get("input", "1x28x28"));
    LabelledImages data =
        shape.equals(FASHION_MNIST)
            ? IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, needed)
            : randomImages(shape, needed);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    List<Map<String, Object>> rows = new ArrayList<>();
    System.out.printf(
        "%n%-34s %22s %24s%n",
        "trainer (" + runs + " rounds of " + (batches == 0 ? "an epoch" : batches + " steps") + ")",
        "images/s (min-max)",
        "s/epoch, projected");
    for (String variant : variants) {
      AutoencoderConfig config =
          new AutoencoderConfig(
              new EncoderSpec(shape, widths, dim, false),
              variant.equals("supervised") ? 10 : 0,
              1,
              0,
              0,
              1e-3,
              1,
              0,
              0,
              AutoencoderConfig.Init.HE_NORMAL,
              42);
      train(
          config, data, batches == 0 ? 20 : Math.max(1, batches / 5), batchSize, quiet); // warm-up
      double[] rate = new double[runs];
      for (int r = 0; r < runs; r++) {
        rate[r] = train(config, data, batches, batchSize, quiet);
      }
      double[] epochSeconds = Arrays.stream(rate).map(x -> EPOCH_IMAGES / x).toArray();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("variant", variant);
      row.put("widths", widths);
      row.put("embeddingDim", dim);
      row.put("imagesPerSec", Stats.summary(rate));
      row.put("secondsPerEpochProjected", Stats.summary(epochSeconds));
      rows.add(row);
      System.out.printf(
          "%-34s %22s %24s%n",
          variant
              + " "
              + shape.channels()
              + "x"
              + shape.height()
              + "x"
              + shape.width()
              + " "
              + cli.get("widths", "16,32")
              + ", "
              + dim
              + "-d",
          Stats.spread(rate, "%.0f"),
          String.format("%.1f", Stats.median(epochSeconds)));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("input", shape);
    setup.put("batches", batches);
    setup.put("batchSize", batchSize);
    setup.put("runs", runs);
    setup.put("epochImages", EPOCH_IMAGES);
    setup.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    result.put("setup", setup);
    result.put("variants", rows);
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
    System.out.println("JSON: " + out);
    System.exit(0);
  }

  /** {@code count} images of seeded random pixels, labels 0-9 in turn. */
  private static LabelledImages randomImages(InputShape shape, int count) {
    Random random = new Random(42);
    byte[][] pixels = new byte[count][shape.size()];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      random.nextBytes(pixels[i]);
      labels[i] = i % 10;
    }
    return new LabelledImages(shape, pixels, labels);
  }

  /** One epoch of {@code batches} steps; returns the training images/s. */
  private static double train(
      AutoencoderConfig config, LabelledImages data, int batches, int batchSize, PrintStream log) {
    double validation = (double) batchSize / data.size();
    TrainingSettings settings =
        new TrainingSettings(
            1,
            batchSize,
            batches,
            Math.min(0.1, validation),
            1,
            false,
            2,
            Normalization.PerImage.NONE,
            TrainingSettings.StopOn.LOSS,
            42);
    return AutoencoderTrainer.train(config, settings, data, log, false).imagesPerSecond();
  }
}
