package io.pixelstream.trainer.cli;

import io.pixelstream.core.cli.CliArgs;
import java.util.Map;

/**
 * Named sets of {@code train} options, chosen with {@code --preset}; an option given on the command
 * line wins over the preset's. Each is the best configuration measured for its kind of data
 * (docs/benchmarks.md).
 */
enum TrainingPreset {
  /** 3x32x32 colour photos (CIFAR-10), a few thousand of them. */
  COLOUR_PHOTOS(
      Map.ofEntries(
          Map.entry("widths", "32,64,128"),
          Map.entry("embedding-dim", "16"),
          Map.entry("normalize", "true"),
          Map.entry("class-weight", "30"),
          Map.entry("augment", "true"),
          Map.entry("dropout", "0.3"),
          Map.entry("weight-decay", "0.05"),
          Map.entry("epochs", "40"),
          Map.entry("patience", "8"),
          Map.entry("stop-on", "nmi"))),
  /**
   * The vanilla variant on 3x32x32 colour photos: no labels, so a quarter-turn head and a
   * contrastive loss on two augmented views shape the embedding; stopped on the validation loss,
   * since the NMI of a few hundred validation images is too noisy to pick an epoch by.
   */
  COLOUR_PHOTOS_VANILLA(
      Map.ofEntries(
          Map.entry("variant", "vanilla"),
          Map.entry("widths", "32,64,128"),
          Map.entry("embedding-dim", "16"),
          Map.entry("normalize", "false"),
          Map.entry("augment", "true"),
          Map.entry("dropout", "0"),
          Map.entry("weight-decay", "0"),
          Map.entry("turn-weight", "1"),
          Map.entry("contrast-weight", "1"),
          Map.entry("epochs", "30"),
          Map.entry("patience", "8"),
          Map.entry("stop-on", "loss")));

  private final Map<String, String> options;

  TrainingPreset(Map<String, String> options) {
    this.options = options;
  }

  /** The preset's options, without dashes, as {@link CliArgs#withDefaults} takes them. */
  Map<String, String> options() {
    return options;
  }

  /** {@code cli} over the preset it names with {@code --preset}, or {@code cli} itself. */
  static CliArgs apply(CliArgs cli) {
    if (!cli.has("preset")) {
      return cli;
    }
    return cli.withDefaults(cli.getChoice("preset", COLOUR_PHOTOS).options());
  }
}
