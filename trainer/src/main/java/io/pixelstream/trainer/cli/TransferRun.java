package io.pixelstream.trainer.cli;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.cluster.KMeans;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ModelFileProbe;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.trainer.eval.ModelEvaluator;
import io.pixelstream.trainer.train.TrainingSettings;
import io.pixelstream.trainer.transfer.FeatureHeadConfig;
import io.pixelstream.trainer.transfer.FeatureTrainer;
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
 * One {@code trainer train --backbone FILE} run: the frozen backbone (TorchScript or ONNX, run by
 * DJL) embeds the training and held-out images; DL4J trains the dense autoencoder on those features
 * ({@link FeatureTrainer}); the artifact's encoder is the backbone's file followed by the trained
 * encoder layers, which DJL runs as one encoder. Evaluated on the held-out set beside the raw
 * backbone features and the pixel baselines, so the report says whether the head helps; the largest
 * difference between DJL's and DL4J's embeddings of the held-out images is recorded.
 */
record TransferRun(
    String data,
    DatasetSpec.Split split,
    LabelledImages baseline,
    Path backbone,
    EncoderFormat format,
    InputShape input,
    ResizeMode resize,
    int featureDim,
    Normalization normalization,
    int hidden,
    int embeddingDim,
    boolean normalize,
    boolean supervised,
    double classWeight,
    double learningRate,
    TrainingSettings settings,
    String version,
    long[] seeds,
    boolean writeReport) {

  /** Creation time of the backbone-only artifact that embeds the features (never written). */
  private static final String CREATED = "1970-01-01T00:00:00Z";

  /** The row of the raw backbone features in the quality table. */
  static final String BACKBONE_ROW = "backbone features";

  /** The run {@code trainer train --backbone}'s options describe; loads its data. */
  static TransferRun of(CliArgs cli, TrainingSettings settings, String version) throws IOException {
    if (cli.has("turn-weight")) {
      throw new IllegalArgumentException(
          "--turn-weight turns the images the autoencoder sees; with --backbone it sees features");
    }
    if (cli.has("contrast-weight")) {
      throw new IllegalArgumentException(
          "--contrast-weight compares augmented views of images; with --backbone the autoencoder"
              + " sees features");
    }
    Path file = Path.of(cli.required("backbone"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such backbone file: " + file);
    }
    InputShape input = InputShape.parse(cli.required("input"));
    EncoderFormat format = ModelFileProbe.formatOf(file);
    int featureDim = ModelFileProbe.outputDim(file, format, input); // before the data loads
    DatasetSpec data = DatasetSpec.parse(cli.get("data", "fashion-mnist"));
    DatasetSpec.Split split =
        TrainingData.load(
            cli,
            data,
            input,
            ImportRun.resize(cli),
            cli.getInt("train-limit", 60_000),
            cli.getInt("eval-limit", 10_000));
    return new TransferRun(
        cli.get("data", "fashion-mnist"),
        split,
        TrainingData.baselineImages(cli, split.test()),
        file,
        format,
        input,
        ImportRun.resize(cli),
        featureDim,
        ImportRun.normalization(cli, input),
        cli.getInt("hidden", 256),
        cli.getInt("embedding-dim", 64),
        cli.getBoolean("normalize", false),
        !cli.get("variant", "supervised").equals("vanilla"),
        Double.parseDouble(cli.get("class-weight", "1")),
        Double.parseDouble(cli.get("lr", "0.001")),
        settings,
        version,
        EvaluationTable.seeds(cli),
        cli.getBoolean("report", true));
  }

  /** Runs it; returns the registered version. */
  String run(ModelRegistry registry, PrintStream out) throws IOException {
    int classes = IntStream.of(split.train().labels()).max().orElse(0) + 1;
    out.printf(
        "training %s on %s: a dense %s head on the %d-d features of %s (%s, input %s), %d train /"
            + " %d held-out images%nheld out: %s%n",
        version,
        data,
        supervised ? "supervised" : "vanilla",
        featureDim,
        backbone,
        format,
        input,
        split.train().size(),
        split.test().size(),
        split.heldOut());
    ModelArtifact frozen =
        new ModelArtifact(
            ModelManifest.ofModelFile(
                version,
                CREATED,
                input,
                normalization,
                format,
                featureDim,
                featureDim,
                List.of(),
                Map.of()),
            Map.of(),
            backbone);
    float[][] trainFeatures = ModelEvaluator.embed(frozen, split.train());
    float[][] testFeatures = ModelEvaluator.embed(frozen, split.test());

    FeatureHeadConfig config =
        new FeatureHeadConfig(
            featureDim,
            hidden,
            embeddingDim,
            normalize,
            supervised ? classes : 0,
            classWeight,
            learningRate,
            settings.seed());
    FeatureTrainer.Result trained =
        FeatureTrainer.train(config, settings, trainFeatures, split.train().labels(), out);
    float[][] fit =
        trained.embed(
            Arrays.copyOf(trainFeatures, Math.min(ImportRun.FIT_LIMIT, trainFeatures.length)));
    Centroids centroids = KMeans.fit(fit, classes, settings.seed());

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("data", data);
    training.put("backbone", backbone.getFileName().toString());
    training.put("backboneFormat", format.name());
    training.put("variant", supervised ? "supervised" : "vanilla");
    training.put("classWeight", classWeight);
    training.put("hidden", hidden);
    training.put("normalizedEmbedding", normalize);
    training.put("epochsRun", trained.epochs().size());
    training.put("bestEpoch", trained.bestEpoch());
    training.put("seconds", trained.seconds());
    training.put("imagesPerSecond", trained.imagesPerSecond());
    training.put("learningRate", learningRate);
    training.put("seed", settings.seed());
    training.put("trainImages", split.train().size());
    training.put("heldOut", split.heldOut());
    training.put("losses", trained.epochs());
    ModelManifest manifest =
        ModelManifest.ofModelFile(
                version,
                Instant.now().toString(),
                input,
                normalization,
                format,
                featureDim,
                embeddingDim,
                trained.layers(),
                training)
            .withResize(resize)
            .withClustering(new ModelManifest.Clustering(centroids.k(), centroids.toArray()));
    ModelArtifact artifact = new ModelArtifact(manifest, trained.weights(), backbone);

    float[][] testEmb = ModelEvaluator.embed(artifact, split.test()); // DJL: backbone + head
    double parity = maxAbsDifference(testEmb, trained.embed(testFeatures));
    EmbeddingEvaluation.Report report =
        EmbeddingEvaluation.evaluate(testEmb, split.test().labels(), classes, seeds);
    EmbeddingEvaluation.Report raw =
        EmbeddingEvaluation.evaluate(testFeatures, split.test().labels(), classes, seeds);
    Map<String, EmbeddingEvaluation.Report> rows =
        EvaluationTable.baselineRows(baseline, Normalization.PerImage.NONE, classes, seeds);
    rows.put(BACKBONE_ROW, raw);
    Map<String, Object> evaluation = new LinkedHashMap<>(report.toMap());
    evaluation.put("rawPixels", rows.get(EvaluationTable.RAW_PIXELS).toMap());
    evaluation.put("backboneFeatures", raw.toMap());
    evaluation.put("djlDl4jMaxAbsDifference", parity);
    artifact = registry.register(artifact.withManifest(manifest.withEvaluation(evaluation)));
    rows.put(version, report);
    EvaluationTable.print(out, rows);
    out.printf(
        "the trained head %s the raw backbone features: NMI %.4f vs %.4f, P@10 %.4f vs %.4f%n",
        report.nmi().mean() > raw.nmi().mean() ? "beats" : "does not beat",
        report.nmi().mean(),
        raw.nmi().mean(),
        report.precisionAt10(),
        raw.precisionAt10());
    out.printf("DJL (backbone + head) vs DL4J (head on DJL's features): max |diff| %.2e%n", parity);
    return RegisteredRun.finish(
        registry, artifact, null, split.test(), testEmb, rows, writeReport, out);
  }

  private static double maxAbsDifference(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }
}
