package io.pixelstream.trainer.cli;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.cluster.KMeans;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.trainer.eval.ModelEvaluator;
import io.pixelstream.trainer.model.AutoencoderConfig;
import io.pixelstream.trainer.model.Dl4jArtifacts;
import io.pixelstream.trainer.model.Dl4jEmbedder;
import io.pixelstream.trainer.train.AutoencoderTrainer;
import io.pixelstream.trainer.train.TrainingSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One {@code trainer train} run, its options already parsed ({@link TrainerCli}): trains the
 * autoencoder, fits the centroids on training embeddings, exports the artifact, evaluates it on the
 * held-out set beside the pixel baselines, registers it (not current) and writes its report.
 *
 * @param data the dataset's name, recorded in the manifest
 * @param split the training and held-out images
 * @param seeds the k-means seeds of the evaluation
 * @param writeReport whether to write the report folder
 */
record TrainingRun(
    String data,
    DatasetSpec.Split split,
    AutoencoderConfig config,
    TrainingSettings settings,
    String version,
    long[] seeds,
    boolean writeReport) {

  /** Runs it; returns the registered version. */
  String run(ModelRegistry registry, PrintStream out) throws IOException {
    EncoderSpec spec = config.encoder();
    InputShape shape = spec.input();
    long seed = config.seed();
    boolean supervised = config.numClasses() > 0;
    int classes = IntStream.of(split.train().labels()).max().orElse(0) + 1;
    out.println(
        "devices: training with DL4J on the CPU, embedding with DJL (PyTorch) on "
            + ImageEncoder.DeviceChoice.AUTO.device());
    out.printf(
        "training %s on %s: %d train / %d held-out images, %s, %d classes%nheld out: %s%n",
        version, data, split.train().size(), split.test().size(), shape, classes, split.heldOut());
    AutoencoderTrainer.Result trained =
        AutoencoderTrainer.train(config, settings, split.train(), out, System.console() != null);

    // centroids in embedding space, fitted on (up to 10,000) training embeddings
    int fitCount = Math.min(10_000, split.train().size());
    float[][] fitInputs =
        trained
            .normalization()
            .applyAll(Arrays.copyOf(split.train().pixels(), fitCount), shape.channels());
    float[][] trainEmb = Dl4jEmbedder.embed(trained.graph(), fitInputs, shape, 256);
    Centroids centroids = KMeans.fit(trainEmb, classes, seed);

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("data", data);
    training.put("variant", supervised ? "supervised" : "vanilla");
    training.put("classWeight", config.classWeight());
    training.put("turnWeight", config.turnWeight());
    training.put("contrastWeight", config.contrastWeight());
    training.put("epochsRun", trained.epochs().size());
    training.put("bestEpoch", trained.bestEpoch());
    training.put("seconds", trained.seconds());
    training.put("imagesPerSecond", trained.imagesPerSecond());
    training.put("batchSize", settings.batchSize());
    training.put("learningRate", config.learningRate());
    training.put("learningRateDecay", config.learningRateDecay());
    training.put("weightDecay", config.weightDecay());
    training.put("dropout", config.dropout());
    training.put("init", CliArgs.choiceName(config.init()));
    training.put("augment", settings.augment());
    training.put("normalizedEmbedding", spec.normalized());
    training.put("widths", spec.widths());
    training.put("seed", seed);
    training.put("trainImages", split.train().size());
    training.put("heldOut", split.heldOut());
    training.put("losses", trained.epochs());
    ModelArtifact artifact =
        Dl4jArtifacts.export(
            trained.graph(),
            config,
            trained.normalization(),
            version,
            Instant.now().toString(),
            centroids,
            training,
            Map.of());

    float[][] testEmb = ModelEvaluator.embed(artifact, split.test()); // once: evaluation and report
    EmbeddingEvaluation.Report report =
        EmbeddingEvaluation.evaluate(testEmb, split.test().labels(), classes, seeds);
    Normalization.PerImage perImage = trained.normalization().perImage();
    Map<String, EmbeddingEvaluation.Report> rows =
        EvaluationTable.baselineRows(split.test(), perImage, classes, seeds);
    EmbeddingEvaluation.Report raw = rows.get(EvaluationTable.RAW_PIXELS);
    float[][] testInputs = ModelEvaluator.inputs(split.test(), trained.normalization());
    Map<String, Object> evaluation = new LinkedHashMap<>(report.toMap());
    evaluation.put(
        "reconstructionMse", ModelEvaluator.reconstructionMse(trained.graph(), testInputs, shape));
    if (supervised) {
      evaluation.put(
          "classAccuracy",
          ModelEvaluator.classAccuracy(trained.graph(), testInputs, split.test().labels(), shape));
    }
    evaluation.put("rawPixels", raw.toMap());
    if (perImage != Normalization.PerImage.NONE) {
      evaluation.put("perImagePixels", rows.get(EvaluationTable.perImageRow(perImage)).toMap());
    }
    artifact = artifact.withManifest(artifact.manifest().withEvaluation(evaluation));
    registry.register(artifact);
    rows.put(version, report);
    EvaluationTable.print(out, rows);
    out.printf(
        "reconstruction MSE %.4f%s%n",
        evaluation.get("reconstructionMse"),
        supervised ? String.format(", head accuracy %.4f", evaluation.get("classAccuracy")) : "");
    return RegisteredRun.finish(
        registry, artifact, trained, split.test(), testEmb, rows, writeReport, out);
  }
}
