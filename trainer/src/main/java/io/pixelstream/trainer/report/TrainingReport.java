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
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes what a person wants to look at after training, as PNG files beside a {@code report.md}:
 * loss curves, originals above their reconstructions, a PCA projection of the held-out embeddings
 * coloured by label, and query -> top-10 result grids (green frame: same label, red: not).
 */
public final class TrainingReport {

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  private TrainingReport() {}

  /**
   * Writes the report into {@code dir}.
   *
   * @param emb the artifact's embeddings of {@code test}, as evaluated
   */
  public static void write(
      Path dir,
      ModelArtifact artifact,
      AutoencoderTrainer.Result trained,
      LabelledImages test,
      float[][] emb,
      EmbeddingEvaluation.Report report,
      EmbeddingEvaluation.Report raw)
      throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(7);
    int[] sample = Shuffle.permutation(test.size(), random);

    ImageIO.write(lossCurves(trained.epochs()), "png", dir.resolve("loss.png").toFile());
    ImageIO.write(
        reconstructions(trained, test, sample), "png", dir.resolve("reconstructions.png").toFile());
    ImageIO.write(
        projection(emb, test.labels(), sample), "png", dir.resolve("embeddings-pca.png").toFile());
    ImageIO.write(queries(emb, test, sample), "png", dir.resolve("queries.png").toFile());

    StringBuilder md = new StringBuilder();
    md.append("# Model ").append(artifact.version()).append("\n\n");
    md.append(
        String.format(
            "Trained %d epochs (best %d) in %.0f s at %.0f images/s.%n%n",
            trained.epochs().size(),
            trained.bestEpoch(),
            trained.seconds(),
            trained.imagesPerSecond()));
    md.append(
        "| embedding | NMI | RI | ARI | precision@10 | mAP@10 |\n| --- | --- | --- | --- | --- | --- |\n");
    row(md, "raw pixels", raw);
    row(md, artifact.version(), report);
    md.append("\nMean ± standard deviation over ")
        .append(report.seeds())
        .append(" k-means seeds, ")
        .append(report.items())
        .append(" held-out images, k = ")
        .append(report.clusters())
        .append(".\n\n");
    md.append(
        "| epoch | train loss | validation loss | seconds | images/s |\n| --- | --- | --- | --- | --- |\n");
    for (AutoencoderTrainer.EpochStats e : trained.epochs()) {
      md.append(
          String.format(
              "| %d | %.4f | %.4f | %.1f | %.0f |%n",
              e.epoch(), e.trainLoss(), e.validationLoss(), e.seconds(), e.imagesPerSecond()));
    }
    md.append(
            "\n![loss curves](loss.png)\n\n![originals (top) and reconstructions](reconstructions.png)\n\n")
        .append("![embeddings, PCA, coloured by label](embeddings-pca.png)\n\n")
        .append("![queries (left) and their top 10](queries.png)\n");
    Files.writeString(dir.resolve("report.md"), md.toString());
  }

  private static void row(StringBuilder md, String name, EmbeddingEvaluation.Report r) {
    md.append(
        r.formatRow("| %s | %.4f ± %.4f | %.4f ± %.4f | %.4f ± %.4f | %.4f | %.4f |%n", name));
  }

  private static BufferedImage lossCurves(List<AutoencoderTrainer.EpochStats> epochs) {
    int w = 640;
    int h = 400;
    int pad = 50;
    BufferedImage img = canvas(w, h);
    Graphics2D g = img.createGraphics();
    smooth(g);
    double max = 0;
    for (var e : epochs) {
      max = Math.max(max, Math.max(e.trainLoss(), e.validationLoss()));
    }
    g.setColor(Color.BLACK);
    g.drawLine(pad, h - pad, w - pad, h - pad);
    g.drawLine(pad, pad, pad, h - pad);
    g.drawString("epoch", w / 2, h - 15);
    g.drawString(String.format("loss (max %.3f)", max), 5, pad - 10);
    int n = epochs.size();
    for (int series = 0; series < 2; series++) {
      g.setColor(series == 0 ? PALETTE[0] : PALETTE[1]);
      g.setStroke(new BasicStroke(2));
      int px = -1;
      int py = -1;
      for (int i = 0; i < n; i++) {
        double v = series == 0 ? epochs.get(i).trainLoss() : epochs.get(i).validationLoss();
        int x = pad + (n == 1 ? (w - 2 * pad) / 2 : i * (w - 2 * pad) / (n - 1));
        int y = h - pad - (int) ((h - 2 * pad) * v / max);
        g.fillOval(x - 3, y - 3, 6, 6);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.drawString(series == 0 ? "train" : "validation", w - pad - 80, pad + 15 * series);
    }
    g.dispose();
    return img;
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

  private static BufferedImage projection(float[][] emb, int[] labels, int[] sample) {
    int n = Math.min(2000, emb.length);
    int dim = emb[0].length;
    double[] mean = new double[dim];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        mean[d] += emb[sample[i]][d] / n;
      }
    }
    double[][] cov = new double[dim][dim];
    for (int i = 0; i < n; i++) {
      float[] v = emb[sample[i]];
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          cov[a][b] += (v[a] - mean[a]) * (v[b] - mean[b]) / n;
        }
      }
    }
    double[] pc1 = powerIteration(cov, null);
    double[] pc2 = powerIteration(cov, pc1);
    double[][] xy = new double[n][2];
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      float[] v = emb[sample[i]];
      for (int d = 0; d < dim; d++) {
        xy[i][0] += (v[d] - mean[d]) * pc1[d];
        xy[i][1] += (v[d] - mean[d]) * pc2[d];
      }
      minX = Math.min(minX, xy[i][0]);
      maxX = Math.max(maxX, xy[i][0]);
      minY = Math.min(minY, xy[i][1]);
      maxY = Math.max(maxY, xy[i][1]);
    }
    int size = 600;
    int pad = 20;
    BufferedImage img = canvas(size, size);
    Graphics2D g = img.createGraphics();
    smooth(g);
    for (int i = 0; i < n; i++) {
      int x = pad + (int) ((size - 2 * pad) * (xy[i][0] - minX) / Math.max(1e-9, maxX - minX));
      int y = pad + (int) ((size - 2 * pad) * (xy[i][1] - minY) / Math.max(1e-9, maxY - minY));
      g.setColor(PALETTE[Math.floorMod(labels[sample[i]], PALETTE.length)]);
      g.fillOval(x - 2, y - 2, 4, 4);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int c = 0; c < PALETTE.length; c++) {
      g.setColor(PALETTE[c]);
      g.drawString("label " + c, size - 70, 15 + 14 * c);
    }
    g.dispose();
    return img;
  }

  private static double[] powerIteration(double[][] m, double[] orthogonalTo) {
    int dim = m.length;
    double[] v = new double[dim];
    java.util.Arrays.fill(v, 1.0 / Math.sqrt(dim));
    v[0] += 0.1; // not orthogonal to the first component by accident
    for (int iter = 0; iter < 200; iter++) {
      double[] next = new double[dim];
      for (int a = 0; a < dim; a++) {
        for (int b = 0; b < dim; b++) {
          next[a] += m[a][b] * v[b];
        }
      }
      if (orthogonalTo != null) {
        double dot = 0;
        for (int a = 0; a < dim; a++) {
          dot += next[a] * orthogonalTo[a];
        }
        for (int a = 0; a < dim; a++) {
          next[a] -= dot * orthogonalTo[a];
        }
      }
      double norm = 0;
      for (double x : next) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      if (norm == 0) {
        return next;
      }
      for (int a = 0; a < dim; a++) {
        v[a] = next[a] / norm;
      }
    }
    return v;
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

  private static void smooth(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
  }
}
