package io.pixelstream.trainer.cli;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.registry.PromotionGate;
import io.pixelstream.trainer.eval.ModelEvaluator;
import io.pixelstream.trainer.metrics.TrainerMetrics;
import io.pixelstream.trainer.model.AutoencoderConfig;
import io.pixelstream.trainer.train.TrainingSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code trainer train | import | evaluate | promote | rollback | history | schedule}, each with
 * {@code --help}. Thin: the work is in the trainer's and core's classes.
 */
public final class TrainerCli {

  private static final Set<String> COMMON =
      Set.of("registry", "data", "solr-alias", "eval-limit", "seeds", "input");
  private static final Set<String> TRAIN =
      Set.of(
          "variant",
          "epochs",
          "batch-size",
          "lr",
          "lr-decay",
          "weight-decay",
          "dropout",
          "init",
          "augment",
          "max-shift",
          "embedding-dim",
          "widths",
          "normalize",
          "per-image",
          "class-weight",
          "turn-weight",
          "contrast-weight",
          "seed",
          "max-batches",
          "train-limit",
          "version",
          "patience",
          "stop-on",
          "preset",
          "report",
          "backbone",
          "hidden",
          "mean",
          "std",
          "resize");
  private static final Set<String> GATE = Set.of("version", "margin", "p10-tolerance");
  private static final Set<String> IMPORT =
      Set.of(
          "torchscript",
          "onnx",
          "mean",
          "std",
          "resize",
          "normalize",
          "version",
          "train-limit",
          "report");

  private static final String USAGE = usage();

  private TrainerCli() {}

  /** The usage text, {@code usage.txt} beside this class. */
  private static String usage() {
    try (var in = TrainerCli.class.getResourceAsStream("usage.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the trainer's usage.txt is missing from its jar", e);
    }
  }

  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.print(USAGE);
      return;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      int code = run(command, rest, System.out);
      System.exit(code);
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      System.err.println("trainer " + command + ": " + e.getMessage());
      System.exit(2);
    }
  }

  /** Runs one command; returns the exit code (0 ok, 1 rejected promotion). */
  public static int run(String command, String[] args, PrintStream out) throws IOException {
    Set<String> known = new HashSet<>(COMMON);
    switch (command) {
      case "train" -> known.addAll(TRAIN);
      case "import" -> known.addAll(IMPORT);
      case "evaluate" -> known.add("version");
      case "promote" -> known.addAll(GATE);
      case "rollback", "history" -> known.retainAll(Set.of("registry"));
      case "schedule" -> {
        known.addAll(TRAIN);
        known.addAll(GATE);
        known.addAll(Set.of("every", "times", "metrics-port", "metrics-host"));
      }
      default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
    }
    CliArgs cli = TrainingPreset.apply(CliArgs.parse(args, known));
    if (cli.helpRequested()) {
      out.print(USAGE);
      return 0;
    }
    ModelRegistry registry = new ModelRegistry(Path.of(cli.get("registry", "data/registry")));
    switch (command) {
      case "train":
        train(cli, registry, out);
        return 0;
      case "import":
        ImportRun.of(cli, registry).run(registry, out);
        return 0;
      case "evaluate":
        evaluate(cli, registry, out);
        return 0;
      case "promote":
        return promote(cli, registry, cli.required("version"), out) ? 0 : 1;
      case "rollback":
        out.println("current model is now " + registry.rollback());
        return 0;
      case "history":
        for (Map<String, Object> e : registry.history()) {
          out.println(e);
        }
        return 0;
      default:
        schedule(cli, registry, out);
        return 0;
    }
  }

  static String train(CliArgs cli, ModelRegistry registry, PrintStream out) throws IOException {
    long seed = cli.getLong("seed", 42);
    boolean supervised = !cli.get("variant", "supervised").equals("vanilla");
    if (!Set.of("supervised", "vanilla").contains(cli.get("variant", "supervised"))) {
      throw new IllegalArgumentException("--variant must be supervised or vanilla");
    }
    TrainingSettings settings =
        new TrainingSettings(
            cli.getInt("epochs", 5),
            cli.getInt("batch-size", 128),
            cli.getInt("max-batches", 0),
            0.1,
            cli.getInt("patience", 2),
            cli.getBoolean("augment", false),
            cli.getInt("max-shift", 2),
            cli.getChoice("per-image", Normalization.PerImage.UNIT_RMS),
            cli.getChoice("stop-on", TrainingSettings.StopOn.LOSS),
            seed);
    String version =
        cli.has("version")
            ? cli.required("version")
            : freeVersion(registry, supervised ? "supervised-" : "vanilla-");
    registry.versionDir(version); // validates the name before hours of training
    if (cli.has("backbone")) {
      return TransferRun.of(cli, settings, version).run(registry, out);
    }

    DatasetSpec data = DatasetSpec.parse(cli.get("data", "fashion-mnist"));
    InputShape shape = shape(cli, data);
    DatasetSpec.Split split =
        TrainingData.load(
            cli,
            data,
            shape,
            ResizeMode.STRETCH,
            cli.getInt("train-limit", 60_000),
            cli.getInt("eval-limit", 10_000));
    int classes = IntStream.of(split.train().labels()).max().orElse(0) + 1;
    EncoderSpec spec =
        new EncoderSpec(
            shape,
            widths(cli.get("widths", "16,32")),
            cli.getInt("embedding-dim", 64),
            cli.getBoolean("normalize", false));
    AutoencoderConfig config =
        new AutoencoderConfig(
            spec,
            supervised ? classes : 0,
            Double.parseDouble(cli.get("class-weight", "1")),
            Double.parseDouble(cli.get("turn-weight", "0")),
            Double.parseDouble(cli.get("contrast-weight", "0")),
            Double.parseDouble(cli.get("lr", "0.001")),
            Double.parseDouble(cli.get("lr-decay", "1")),
            Double.parseDouble(cli.get("weight-decay", "0")),
            Double.parseDouble(cli.get("dropout", "0")),
            cli.getChoice("init", AutoencoderConfig.Init.FAN_IN_UNIFORM),
            seed);
    return new TrainingRun(
            cli.get("data", "fashion-mnist"),
            split,
            config,
            settings,
            version,
            EvaluationTable.seeds(cli),
            cli.getBoolean("report", true))
        .run(registry, out);
  }

  /** {@code <prefix><UTC time>}, with {@code -2}, {@code -3}... if that is taken. */
  static String freeVersion(ModelRegistry registry, String prefix) throws IOException {
    String base =
        prefix
            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
    java.util.List<String> taken = registry.versions();
    String version = base;
    for (int i = 2; taken.contains(version); i++) {
      version = base + "-" + i;
    }
    return version;
  }

  static void evaluate(CliArgs cli, ModelRegistry registry, PrintStream out) throws IOException {
    String version =
        cli.has("version")
            ? cli.required("version")
            : registry
                .current()
                .orElseThrow(() -> new IllegalStateException("no current model; pass --version"));
    ModelArtifact artifact = registry.read(version);
    LabelledImages test = TrainingData.heldOut(cli, artifact.manifest());
    int classes = IntStream.of(test.labels()).max().orElse(0) + 1;
    long[] seeds = EvaluationTable.seeds(cli);
    Map<String, EmbeddingEvaluation.Report> rows =
        EvaluationTable.baselineRows(
            TrainingData.baselineImages(cli, test),
            artifact.manifest().normalization().perImage(),
            classes,
            seeds);
    rows.put(version, ModelEvaluator.evaluate(artifact, test, classes, seeds));
    EvaluationTable.print(out, rows);
  }

  static boolean promote(CliArgs cli, ModelRegistry registry, String version, PrintStream out)
      throws IOException {
    ModelArtifact candidate = registry.read(version);
    Optional<String> currentVersion = registry.current();
    if (currentVersion.isPresent() && currentVersion.get().equals(version)) {
      out.println(version + " is already current");
      return true;
    }
    LabelledImages test = TrainingData.heldOut(cli, candidate.manifest());
    int classes = IntStream.of(test.labels()).max().orElse(0) + 1;
    long[] seeds = EvaluationTable.seeds(cli);
    EmbeddingEvaluation.Report cand = ModelEvaluator.evaluate(candidate, test, classes, seeds);
    EmbeddingEvaluation.Report cur = null;
    if (currentVersion.isPresent()) {
      ModelArtifact current = registry.read(currentVersion.get());
      // the same held-out images, as the current model takes them
      LabelledImages currentTest =
          current.manifest().input().equals(candidate.manifest().input())
                  && current.manifest().resize() == candidate.manifest().resize()
              ? test
              : TrainingData.heldOut(cli, current.manifest());
      cur = ModelEvaluator.evaluate(current, currentTest, classes, seeds);
    }
    PromotionGate gate =
        new PromotionGate(
            Double.parseDouble(cli.get("margin", "0.0")),
            Double.parseDouble(cli.get("p10-tolerance", "0.01")));
    PromotionGate.Decision d = gate.decide(cur, cand);
    Map<String, Object> details = new LinkedHashMap<>(d.numbers());
    details.put("reason", d.reason());
    details.put("evaluationItems", test.size());
    if (d.promote()) {
      registry.makeCurrent(version, "promote", details);
      out.println("promoted " + version + ": " + d.reason());
    } else {
      details.put("version", version);
      details.put("current", currentVersion.orElse(null));
      registry.record("reject", details);
      out.println(
          "rejected "
              + version
              + ": "
              + d.reason()
              + " (current stays "
              + currentVersion.orElse("none")
              + ")");
    }
    return d.promote();
  }

  static void schedule(CliArgs cli, ModelRegistry registry, PrintStream out) throws IOException {
    Duration every = parseDuration(cli.get("every", "6h"));
    int times = cli.getInt("times", 0);
    try (TrainerMetrics metrics = new TrainerMetrics(registry)) {
      int port = cli.getInt("metrics-port", 0);
      if (port > 0) {
        String host = cli.get("metrics-host", "127.0.0.1");
        metrics.serve(host, port);
        out.println("metrics on http://" + host + ":" + port + "/metrics");
      }
      for (int run = 1; times == 0 || run <= times; run++) {
        long start = System.nanoTime();
        String outcome;
        try {
          String version = train(cli, registry, out);
          outcome = promote(cli, registry, version, out) ? "promoted" : "rejected";
        } catch (IOException | RuntimeException e) {
          out.println("scheduled run " + run + " failed: " + e.getMessage());
          registry.record("failed-run", Map.of("error", String.valueOf(e.getMessage())));
          outcome = "failed";
        }
        metrics.runEnded(outcome, (System.nanoTime() - start) / 1e9);
        if (times != 0 && run == times) {
          break;
        }
        long sleep = every.toMillis() - (System.nanoTime() - start) / 1_000_000;
        if (sleep > 0) {
          try {
            Thread.sleep(sleep);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  static Duration parseDuration(String s) {
    if (!s.matches("\\d+[smhd]")) {
      throw new IllegalArgumentException("--every must look like 90s, 30m, 6h or 1d, got " + s);
    }
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static InputShape shape(CliArgs cli, DatasetSpec data) {
    if (data.nativeShape() != null && !cli.has("input")) {
      return data.nativeShape();
    }
    return InputShape.parse(cli.get("input", "1x28x28"));
  }

  private static int[] widths(String s) {
    try {
      return Arrays.stream(s.split(",")).mapToInt(v -> Integer.parseInt(v.trim())).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--widths must be comma-separated ints, e.g. 16,32");
    }
  }
}
