package io.pixelstream.trainer.cli;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.cluster.KMeans;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ModelFileProbe;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.trainer.eval.ModelEvaluator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One {@code trainer import} run, its options already parsed ({@link TrainerCli}): checks a
 * TorchScript or ONNX file ({@link ModelFileProbe}), wraps it into an artifact whose embedding is
 * the file's output (L2-normalised with {@code normalize}), fits the centroids on its embeddings of
 * the training images, evaluates it on the held-out set beside the pixel baselines exactly as a
 * trained model is evaluated, registers it (not current) and writes its report. A file that fails
 * the probe registers nothing.
 *
 * @param data the dataset's name, recorded in the manifest
 * @param split the training images (for the centroids) and the held-out ones
 * @param baseline the held-out images the pixel baselines are computed on
 * @param file the TorchScript or ONNX file
 * @param input the input shape the file takes
 * @param resize how images of another size become the input's
 * @param dim the length of the vector it gives per image, probed ({@link ModelFileProbe})
 * @param normalization how pixels become its input (e.g. ImageNet's mean and std)
 */
record ImportRun(
    String data,
    DatasetSpec.Split split,
    LabelledImages baseline,
    Path file,
    EncoderFormat format,
    InputShape input,
    ResizeMode resize,
    int dim,
    Normalization normalization,
    boolean normalize,
    String version,
    long[] seeds,
    boolean writeReport) {

  /** The run {@code trainer import}'s options describe: probes the file, then loads the data. */
  static ImportRun of(CliArgs cli, ModelRegistry registry) throws IOException {
    if (cli.has("torchscript") == cli.has("onnx")) {
      throw new IllegalArgumentException("import needs exactly one of --torchscript and --onnx");
    }
    EncoderFormat format = cli.has("onnx") ? EncoderFormat.ONNX : EncoderFormat.TORCHSCRIPT;
    Path file = Path.of(cli.required(cli.has("onnx") ? "onnx" : "torchscript"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such model file: " + file);
    }
    InputShape input = InputShape.parse(cli.required("input"));
    Normalization normalization = normalization(cli, input);
    String version =
        cli.has("version")
            ? cli.required("version")
            : TrainerCli.freeVersion(registry, "imported-");
    registry.versionDir(version);
    int dim = ModelFileProbe.outputDim(file, format, input); // before minutes of data loading
    DatasetSpec data = DatasetSpec.parse(cli.get("data", "fashion-mnist"));
    DatasetSpec.Split split =
        TrainingData.load(
            cli,
            data,
            input,
            resize(cli),
            cli.getInt("train-limit", ImportRun.FIT_LIMIT),
            cli.getInt("eval-limit", 10_000));
    return new ImportRun(
        cli.get("data", "fashion-mnist"),
        split,
        TrainingData.baselineImages(cli, split.test()),
        file,
        format,
        input,
        resize(cli),
        dim,
        normalization,
        cli.getBoolean("normalize", false),
        version,
        EvaluationTable.seeds(cli),
        cli.getBoolean("report", true));
  }

  /** {@code --resize stretch|center-crop} (default stretch). */
  static ResizeMode resize(CliArgs cli) {
    return cli.getChoice("resize", ResizeMode.STRETCH);
  }

  /** Pixels scaled to [0, 1], then {@code --mean} and {@code --std} per channel (0 and 1). */
  static Normalization normalization(CliArgs cli, InputShape input) {
    return new Normalization(
        1.0 / 255.0,
        perChannel(cli, "mean", 0.0, input.channels()),
        perChannel(cli, "std", 1.0, input.channels()));
  }

  private static double[] perChannel(CliArgs cli, String option, double fallback, int channels) {
    if (!cli.has(option)) {
      double[] values = new double[channels];
      Arrays.fill(values, fallback);
      return values;
    }
    double[] values;
    try {
      values =
          Arrays.stream(cli.required(option).split(",")).mapToDouble(Double::parseDouble).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option + " must be comma-separated numbers");
    }
    if (values.length != channels) {
      throw new IllegalArgumentException(
          "--"
              + option
              + " needs one value per input channel ("
              + channels
              + "), got "
              + values.length);
    }
    return values;
  }

  /** Runs it; returns the registered version. */
  String run(ModelRegistry registry, PrintStream out) throws IOException {
    int classes = IntStream.of(split.train().labels()).max().orElse(0) + 1;
    out.printf(
        "importing %s as %s: %s model, input %s, %d-d output%s%nheld out: %s%n",
        file, version, format, input, dim, normalize ? ", L2-normalised" : "", split.heldOut());
    List<Layer> layers =
        normalize
            ? List.of(new Layer.L2Normalize(EncoderSpec.EMBEDDING, EncoderSpec.L2_EPS))
            : List.of();
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("imported", file.getFileName().toString());
    training.put("data", data);
    training.put("normalizedEmbedding", normalize);
    training.put("centroidImages", Math.min(FIT_LIMIT, split.train().size()));
    training.put("heldOut", split.heldOut());
    ModelManifest manifest =
        ModelManifest.ofModelFile(
                version,
                Instant.now().toString(),
                input,
                normalization,
                format,
                dim,
                dim,
                layers,
                training)
            .withResize(resize);
    ModelArtifact artifact = new ModelArtifact(manifest, Map.of(), file);

    LabelledImages fit = first(split.train(), FIT_LIMIT);
    Centroids centroids = KMeans.fit(ModelEvaluator.embed(artifact, fit), classes, SEED);
    artifact =
        artifact.withManifest(
            manifest.withClustering(
                new ModelManifest.Clustering(centroids.k(), centroids.toArray())));

    float[][] testEmb = ModelEvaluator.embed(artifact, split.test());
    EmbeddingEvaluation.Report report =
        EmbeddingEvaluation.evaluate(testEmb, split.test().labels(), classes, seeds);
    Map<String, EmbeddingEvaluation.Report> rows =
        EvaluationTable.baselineRows(baseline, Normalization.PerImage.NONE, classes, seeds);
    Map<String, Object> evaluation = new LinkedHashMap<>(report.toMap());
    evaluation.put("rawPixels", rows.get(EvaluationTable.RAW_PIXELS).toMap());
    artifact =
        registry.register(artifact.withManifest(artifact.manifest().withEvaluation(evaluation)));
    rows.put(version, report);
    EvaluationTable.print(out, rows);
    return RegisteredRun.finish(
        registry, artifact, null, split.test(), testEmb, rows, writeReport, out);
  }

  /** Training images whose embeddings place the centroids, as {@code trainer train} uses. */
  static final int FIT_LIMIT = 10_000;

  private static final long SEED = 42;

  static LabelledImages first(LabelledImages images, int n) {
    if (images.size() <= n) {
      return images;
    }
    return new LabelledImages(
        images.shape(), Arrays.copyOf(images.pixels(), n), Arrays.copyOf(images.labels(), n));
  }
}
