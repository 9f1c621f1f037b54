package io.pixelstream.trainer.report;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.data.Shuffle;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.trainer.eval.ModelEvaluator;
import io.pixelstream.trainer.train.AutoencoderTrainer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes what a person wants to look at after training, as PNG files beside a {@code report.md}:
 * loss curves, originals above their reconstructions, a PCA projection of the held-out embeddings
 * coloured by label, and query -> top-10 result grids (green frame: same label, red: not).
 */
public final class TrainingReport {

  /** Held-out images in the PCA and t-SNE views (t-SNE is quadratic in this number). */
  static final int PROJECTED = 1000;

  private TrainingReport() {}

  /**
   * Writes the report into {@code dir}.
   *
   * @param trained the training run; null for an imported model (no curves, no reconstructions)
   * @param emb the artifact's embeddings of {@code test}, as evaluated
   * @param rows the quality table, baselines first, the artifact's version among the rows
   */
  public static void write(
      Path dir,
      ModelArtifact artifact,
      AutoencoderTrainer.Result trained,
      LabelledImages test,
      float[][] emb,
      Map<String, EmbeddingEvaluation.Report> rows)
      throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(7);
    int[] sample = Shuffle.permutation(test.size(), random);

    if (trained != null) {
      ReportCharts.save(ReportCharts.losses(trained.epochs()), dir.resolve("loss.png"));
      ImageIO.write(
          reconstructions(trained, test, sample),
          "png",
          dir.resolve("reconstructions.png").toFile());
    }
    ReportCharts.save(ReportCharts.quality(rows), dir.resolve("quality.png"));
    int n = Math.min(PROJECTED, emb.length);
    float[][] projected = new float[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      projected[i] = emb[sample[i]];
      labels[i] = test.labels()[sample[i]];
    }
    ReportCharts.save(
        ReportCharts.scatter(
            "Held-out embeddings, PCA (" + n + " images)",
            "first principal component",
            "second principal component",
            Projections.pca(projected),
            labels),
        dir.resolve("embeddings-pca.png"));
    ReportCharts.save(
        ReportCharts.scatter(
            "Held-out embeddings, t-SNE ("
                + n
                + " images, perplexity "
                + Projections.PERPLEXITY
                + ")",
            "t-SNE x (no unit: only neighbourhoods matter)",
            "t-SNE y",
            Projections.tsne(projected, 7),
            labels),
        dir.resolve("embeddings-tsne.png"));
    ImageIO.write(queries(emb, test, sample), "png", dir.resolve("queries.png").toFile());

    StringBuilder md = new StringBuilder();
    md.append("# Model ").append(artifact.version()).append("\n\n");
    if (trained != null) {
      md.append(
          String.format(
              "Trained %d epochs (best %d) in %.0f s at %.0f images/s.%n%n",
              trained.epochs().size(),
              trained.bestEpoch(),
              trained.seconds(),
              trained.imagesPerSecond()));
    } else if (artifact.manifest().training().containsKey("backbone")) {
      Map<String, Object> t = artifact.manifest().training();
      md.append(
          String.format(
              "A dense head trained on the features of %s (%s, frozen): %s epochs (best %s).%n%n",
              t.get("backbone"),
              artifact.manifest().encoderFormat(),
              t.get("epochsRun"),
              t.get("bestEpoch")));
    } else {
      md.append("Imported, not trained here: ")
          .append(artifact.manifest().training().getOrDefault("imported", "a model file"))
          .append(" (")
          .append(artifact.manifest().encoderFormat())
          .append(").\n\n");
    }
    md.append(
        "| embedding | NMI | RI | ARI | precision@10 | mAP@10 |\n| --- | --- | --- | --- | --- | --- |\n");
    rows.forEach((name, r) -> row(md, name, r));
    EmbeddingEvaluation.Report report = rows.get(artifact.version());
    md.append("\nMean ± standard deviation over ")
        .append(report.seeds())
        .append(" k-means seeds, ")
        .append(report.items())
        .append(" held-out images, k = ")
        .append(report.clusters())
        .append(". Held out: ")
        .append(artifact.manifest().training().getOrDefault("heldOut", "not recorded"))
        .append(".\n\n");
    if (trained != null) {
      epochs(md, trained);
    }
    md.append("![quality against the pixel baselines](quality.png)\n\n")
        .append("![embeddings, PCA, coloured by label](embeddings-pca.png)\n\n")
        .append("![embeddings, t-SNE, coloured by label](embeddings-tsne.png)\n\n")
        .append("![queries (left) and their top 10](queries.png)\n");
    Files.writeString(dir.resolve("report.md"), md.toString());
  }

  private static void epochs(StringBuilder md, AutoencoderTrainer.Result trained) {
    md.append("| epoch | train loss | validation loss | validation NMI | seconds | images/s |\n")
        .append("| --- | --- | --- | --- | --- | --- |\n");
    for (AutoencoderTrainer.EpochStats e : trained.epochs()) {
      md.append(
          String.format(
              "| %d | %.4f | %.4f | %.4f | %.1f | %.0f |%n",
              e.epoch(),
              e.trainLoss(),
              e.validationLoss(),
              e.validationNmi(),
              e.seconds(),
              e.imagesPerSecond()));
    }
    md.append(
        "\n![loss curves](loss.png)\n\n![originals (top) and reconstructions](reconstructions.png)\n\n");
  }

  private static void row(StringBuilder md, String name, EmbeddingEvaluation.Report r) {
    md.append(
        r.formatRow("| %s | %.4f ± %.4f | %.4f ± %.4f | %.4f ± %.4f | %.4f | %.4f |%n", name));
  }

  private static BufferedImage reconstructions(
      AutoencoderTrainer.Result trained, LabelledImages test, int[] sample) {
    InputShape shape = test.shape();
    int n = Math.min(12, test.size());
    float[][] inputs = new float[n][];
    Normalization norm = trained.normalization();
    for (int i = 0; i < n; i++) {
      inputs[i] = norm.apply(test.pixels()[sample[i]], shape.channels());
    }
    float[][] rec = ModelEvaluator.reconstruct(trained.graph(), inputs, shape);
    int scale = 3;
    int cw = shape.width() * scale;
    int ch = shape.height() * scale;
    BufferedImage img = canvas(n * cw, 2 * ch);
    Graphics2D g = img.createGraphics();
    for (int i = 0; i < n; i++) {
      byte[] original = test.pixels()[sample[i]];
      g.drawImage(tile(original, shape), i * cw, 0, cw, ch, null);
      g.drawImage(
          tile(denormalise(rec[i], norm, norm.pixelScale(original), shape), shape),
          i * cw,
          ch,
          cw,
          ch,
          null);
    }
    g.dispose();
    return img;
  }

  private static BufferedImage queries(float[][] emb, LabelledImages test, int[] sample) {
    InputShape shape = test.shape();
    int queries = Math.min(6, test.size());
    int k = Math.min(10, test.size() - 1);
    int scale = 2;
    int cw = shape.width() * scale + 6;
    int ch = shape.height() * scale + 6;
    BufferedImage img = canvas((k + 1) * cw + 10, queries * ch);
    Graphics2D g = img.createGraphics();
    for (int q = 0; q < queries; q++) {
      int query = sample[q];
      int[] top = nearest(emb, query, k);
      g.drawImage(tile(test.pixels()[query], shape), 3, q * ch + 3, cw - 6, ch - 6, null);
      for (int r = 0; r < top.length; r++) {
        int x = (r + 1) * cw + 10;
        g.setColor(
            test.labels()[top[r]] == test.labels()[query]
                ? new Color(0x2ca02c)
                : new Color(0xd62728));
        g.fillRect(x, q * ch, cw, ch);
        g.drawImage(tile(test.pixels()[top[r]], shape), x + 3, q * ch + 3, cw - 6, ch - 6, null);
      }
    }
    g.dispose();
    return img;
  }

  private static int[] nearest(float[][] emb, int query, int k) {
    Integer[] idx = new Integer[emb.length];
    double[] dist = new double[emb.length];
    for (int i = 0; i < emb.length; i++) {
      idx[i] = i;
      double d = 0;
      for (int j = 0; j < emb[i].length; j++) {
        double diff = emb[i][j] - emb[query][j];
        d += diff * diff;
      }
      dist[i] = i == query ? Double.POSITIVE_INFINITY : d;
    }
    java.util.Arrays.sort(idx, (a, b) -> Double.compare(dist[a], dist[b]));
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  /** 8-bit pixels of the model input {@code x} of an image with {@code pixelScale}. */
  private static byte[] denormalise(
      float[] x, Normalization norm, double pixelScale, InputShape shape) {
    int plane = shape.height() * shape.width();
    byte[] out = new byte[x.length];
    for (int c = 0; c < shape.channels(); c++) {
      for (int i = 0; i < plane; i++) {
        double v = (x[c * plane + i] * norm.std()[c] + norm.mean()[c]) / pixelScale;
        out[c * plane + i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return out;
  }

  private static BufferedImage tile(byte[] chw, InputShape shape) {
    return ImageEncoding.toImage(chw, shape.channels(), shape.height(), shape.width());
  }

  private static BufferedImage canvas(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }
}
