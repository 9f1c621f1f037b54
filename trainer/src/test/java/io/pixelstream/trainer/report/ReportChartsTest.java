package io.pixelstream.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.trainer.train.AutoencoderTrainer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

class ReportChartsTest {

  private static EmbeddingEvaluation.Report report(double nmi, double p10) {
    EmbeddingEvaluation.Spread s = new EmbeddingEvaluation.Spread(nmi, 0.01);
    return new EmbeddingEvaluation.Report(100, 10, 3, s, s, s, p10, p10);
  }

  @Test
  void chartsHaveTitlesAxisTitlesAndOneSeriesPerCurveOrLabel(@TempDir Path dir) throws Exception {
    XYChart loss =
        ReportCharts.losses(
            List.of(
                new AutoencoderTrainer.EpochStats(1, 0.9, 1.0, 0.2, 10, 300),
                new AutoencoderTrainer.EpochStats(2, 0.5, 0.6, 0.3, 10, 310)));
    assertThat(loss.getTitle()).isEqualTo("Loss per epoch");
    assertThat(loss.getXAxisTitle()).isEqualTo("epoch");
    assertThat(loss.getSeriesMap()).containsOnlyKeys("train", "validation");

    Map<String, EmbeddingEvaluation.Report> rows = new LinkedHashMap<>();
    rows.put("raw pixels", report(0.5, 0.7));
    rows.put("model", report(0.8, 0.88));
    CategoryChart quality = ReportCharts.quality(rows);
    assertThat(quality.getSeriesMap()).containsOnlyKeys("NMI", "Rand index", "precision@10");
    assertThat(quality.getYAxisTitle()).contains("0 to 1");

    XYChart scatter =
        ReportCharts.scatter(
            "t", "x", "y", new double[][] {{0, 0}, {1, 1}, {2, 0}}, new int[] {3, 1, 3});
    assertThat(scatter.getSeriesMap()).containsOnlyKeys("label 1", "label 3");
    assertThat(scatter.getSeriesMap().get("label 3").getXData()).hasSize(2);

    Path png = dir.resolve("quality.png");
    ReportCharts.save(quality, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(520);
  }
}
