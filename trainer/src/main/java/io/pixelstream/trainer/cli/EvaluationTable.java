package io.pixelstream.trainer.cli;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.trainer.eval.ModelEvaluator;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** The quality table {@code train}, {@code evaluate} and {@code promote} print: baselines first. */
final class EvaluationTable {

  static final String RAW_PIXELS = "raw pixels";

  private EvaluationTable() {}

  /** The k-means seeds of an evaluation: {@code --seeds} of them, from 1000. */
  static long[] seeds(CliArgs cli) {
    return IntStream.range(0, cli.getInt("seeds", 5)).mapToLong(i -> 1000L + i).toArray();
  }

  /**
   * The baseline rows of the table: raw pixels and, for a model that scales each image, the pixels
   * scaled the same way, so the table shows what the encoder adds to that scaling.
   */
  static Map<String, EmbeddingEvaluation.Report> baselineRows(
      LabelledImages test, Normalization.PerImage perImage, int classes, long[] seeds) {
    Map<String, EmbeddingEvaluation.Report> rows = new LinkedHashMap<>();
    rows.put(RAW_PIXELS, ModelEvaluator.pixels(test, Normalization.PerImage.NONE, classes, seeds));
    if (perImage != Normalization.PerImage.NONE) {
      rows.put(perImageRow(perImage), ModelEvaluator.pixels(test, perImage, classes, seeds));
    }
    return rows;
  }

  static String perImageRow(Normalization.PerImage perImage) {
    return "pixels, " + CliArgs.choiceName(perImage);
  }

  /** Prints the rows in the map's order (pass a LinkedHashMap, baselines first). */
  static void print(PrintStream out, Map<String, EmbeddingEvaluation.Report> rows) {
    out.printf(
        "%n%-28s %15s %15s %15s %8s %8s%n", "embedding", "NMI", "RI", "ARI", "P@10", "mAP@10");
    rows.forEach(
        (name, r) ->
            out.print(r.formatRow("%-28s %7.4f±%.4f %7.4f±%.4f %7.4f±%.4f %8.4f %8.4f%n", name)));
    out.println();
  }
}
