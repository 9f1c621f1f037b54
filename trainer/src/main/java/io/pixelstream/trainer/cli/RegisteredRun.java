package io.pixelstream.trainer.cli;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.trainer.report.TrainingReport;
import io.pixelstream.trainer.train.AutoencoderTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** How a {@code train} or {@code import} run ends, once its version is registered. */
final class RegisteredRun {

  private RegisteredRun() {}

  /**
   * Writes the version's report when {@code writeReport} and says how to promote it.
   *
   * @param trained the training run, or null for an encoder not trained as an image autoencoder
   * @return the version
   */
  static String finish(
      ModelRegistry registry,
      ModelArtifact artifact,
      AutoencoderTrainer.Result trained,
      LabelledImages test,
      float[][] testEmb,
      Map<String, EmbeddingEvaluation.Report> rows,
      boolean writeReport,
      PrintStream out)
      throws IOException {
    String version = artifact.version();
    if (writeReport) {
      Path dir = registry.versionDir(version).resolve("report");
      TrainingReport.write(dir, artifact, trained, test, testEmb, rows);
      out.println("report: " + dir.resolve("report.md"));
    }
    out.println(
        "registered "
            + version
            + " (not current; use `trainer promote --version "
            + version
            + "`)");
    return version;
  }
}
