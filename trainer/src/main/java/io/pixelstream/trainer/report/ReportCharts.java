package io.pixelstream.trainer.report;

import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.trainer.train.AutoencoderTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn by XChart: titles, axis titles with units, ticks and legends. */
final class ReportCharts {

  private static final int WIDTH = 800;
  private static final int HEIGHT = 520;

  private ReportCharts() {}

  /** Training and validation loss per epoch. */
  static XYChart losses(List<AutoencoderTrainer.EpochStats> epochs) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Loss per epoch")
            .xAxisTitle("epoch")
            .yAxisTitle("loss (reconstruction MSE + weighted cross-entropy)")
            .build();
    double[] x = new double[epochs.size()];
    double[] train = new double[epochs.size()];
    double[] validation = new double[epochs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = epochs.get(i).epoch();
      train[i] = epochs.get(i).trainLoss();
      validation[i] = epochs.get(i).validationLoss();
    }
    chart.addSeries("train", x, train);
    chart.addSeries("validation", x, validation);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisDecimalPattern("#");
    return chart;
  }

  /** NMI, Rand index and precision@10 of each embedding (the baselines first). */
  static CategoryChart quality(Map<String, EmbeddingEvaluation.Report> rows) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Held-out quality (k-means over several seeds; precision of the top 10)")
            .xAxisTitle("embedding")
            .yAxisTitle("score (0 to 1)")
            .build();
    List<String> names = new ArrayList<>(rows.keySet());
    List<Double> nmi = new ArrayList<>();
    List<Double> ri = new ArrayList<>();
    List<Double> p10 = new ArrayList<>();
    for (EmbeddingEvaluation.Report r : rows.values()) {
      nmi.add(r.nmi().mean());
      ri.add(r.randIndex().mean());
      p10.add(r.precisionAt10());
    }
    chart.addSeries("NMI", names, nmi);
    chart.addSeries("Rand index", names, ri);
    chart.addSeries("precision@10", names, p10);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    return chart;
  }

  /** A scatter of 2-D points, one series per label. */
  static XYChart scatter(String title, String xAxis, String yAxis, double[][] xy, int[] labels) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xAxis)
            .yAxisTitle(yAxis)
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    Map<Integer, List<double[]>> byLabel = new TreeMap<>();
    for (int i = 0; i < xy.length; i++) {
      byLabel.computeIfAbsent(labels[i], l -> new ArrayList<>()).add(xy[i]);
    }
    byLabel.forEach(
        (label, points) -> {
          double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
          double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
          chart.addSeries("label " + label, x, y).setMarker(SeriesMarkers.CIRCLE);
        });
    return chart;
  }

  /** Writes {@code chart} as {@code file} (a PNG). */
  static void save(Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
