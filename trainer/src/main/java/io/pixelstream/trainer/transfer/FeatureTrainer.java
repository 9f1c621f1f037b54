package io.pixelstream.trainer.transfer;

import io.pixelstream.core.data.Shuffle;
import io.pixelstream.core.eval.ClusteringMetrics;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.NdArray;
import io.pixelstream.trainer.train.AutoencoderTrainer;
import io.pixelstream.trainer.train.TrainingSettings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Trains the {@link FeatureAutoencoder} on standardised backbone features as {@link
 * AutoencoderTrainer} trains the conv autoencoder on pixels: a seeded validation split, Adam steps
 * over seeded shuffles, validation loss and NMI after each epoch, the best epoch by {@link
 * TrainingSettings#stopOn()} kept, early stopping after {@code patience} epochs.
 */
public final class FeatureTrainer {

  /**
   * The trained graph (best epoch), the standardisation it was trained with, and the epochs'
   * figures.
   */
  public record Result(
      FeatureHeadConfig config,
      ComputationGraph graph,
      FeatureScaling scaling,
      List<AutoencoderTrainer.EpochStats> epochs,
      int bestEpoch,
      double seconds,
      double imagesPerSecond) {

    /** The encoder half as the layers that follow the backbone in the artifact. */
    public List<Layer> layers() {
      return FeatureAutoencoder.layers(config);
    }

    /** Their weights, standardisation folded in. */
    public Map<String, NdArray> weights() {
      return FeatureAutoencoder.weights(graph, config, scaling);
    }

    /** DL4J's embeddings of raw backbone features (the reference for DJL's). */
    public float[][] embed(float[][] features) {
      return FeatureAutoencoder.embed(graph, scaling.apply(features));
    }
  }

  private FeatureTrainer() {}

  /** Trains on {@code features} (the backbone's, one row per image) with their {@code labels}. */
  public static Result train(
      FeatureHeadConfig c, TrainingSettings s, float[][] features, int[] labels, PrintStream out) {
    FeatureScaling scaling = FeatureScaling.fit(features);
    float[][] x = scaling.apply(features);
    int classes = Arrays.stream(labels).max().orElse(0) + 1;
    int[] order = Shuffle.permutation(x.length, new Random(s.seed()));
    int validation = Math.max(1, (int) Math.round(x.length * s.validationFraction()));
    int[] valIdx = Arrays.copyOfRange(order, 0, validation);
    int[] trainIdx = Arrays.copyOfRange(order, validation, order.length);
    ComputationGraph graph = FeatureAutoencoder.build(c);
    List<AutoencoderTrainer.EpochStats> epochs = new ArrayList<>();
    INDArray bestParams = null;
    double best = Double.NEGATIVE_INFINITY;
    int bestEpoch = -1;
    long start = System.nanoTime();
    long seen = 0;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      long epochStart = System.nanoTime();
      int[] shuffled = Shuffle.permutation(trainIdx.length, new Random(s.seed() + 1 + epoch));
      double lossSum = 0;
      int batches = 0;
      for (int from = 0; from < trainIdx.length; from += s.batchSize()) {
        int to = Math.min(trainIdx.length, from + s.batchSize());
        int[] idx = new int[to - from];
        for (int i = from; i < to; i++) {
          idx[i - from] = trainIdx[shuffled[i]];
        }
        graph.fit(batch(c, x, labels, idx));
        lossSum += graph.score();
        batches++;
        seen += idx.length;
      }
      double valLoss = graph.score(batch(c, x, labels, valIdx), false);
      float[][] valX = new float[valIdx.length][];
      int[] valY = new int[valIdx.length];
      for (int i = 0; i < valIdx.length; i++) {
        valX[i] = x[valIdx[i]];
        valY[i] = labels[valIdx[i]];
      }
      double valNmi =
          ClusteringMetrics.nmi(
              valY,
              EmbeddingEvaluation.kMeansClusters(
                  FeatureAutoencoder.embed(graph, valX), Math.min(classes, valX.length), s.seed()));
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      epochs.add(
          new AutoencoderTrainer.EpochStats(
              epoch + 1, lossSum / batches, valLoss, valNmi, seconds, trainIdx.length / seconds));
      out.printf(
          "epoch %d: train loss %.4f, validation loss %.4f, validation NMI %.4f, %.1f s%n",
          epoch + 1, lossSum / batches, valLoss, valNmi, seconds);
      double watched = s.stopOn() == TrainingSettings.StopOn.NMI ? valNmi : -valLoss;
      if (watched > best) {
        best = watched;
        bestEpoch = epoch + 1;
        bestParams = graph.params().dup();
      } else if (epoch + 1 - bestEpoch >= s.patience()) {
        out.printf("early stop: no better validation figure for %d epochs%n", s.patience());
        break;
      }
    }
    graph.setParams(bestParams);
    double total = (System.nanoTime() - start) / 1e9;
    return new Result(c, graph, scaling, epochs, bestEpoch, total, seen / total);
  }

  private static MultiDataSet batch(FeatureHeadConfig c, float[][] x, int[] labels, int[] idx) {
    float[][] rows = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      rows[i] = x[idx[i]];
    }
    INDArray in = FeatureAutoencoder.matrix(rows, 0, rows.length);
    if (!c.supervised()) {
      return new MultiDataSet(new INDArray[] {in}, new INDArray[] {in});
    }
    return new MultiDataSet(
        new INDArray[] {in},
        new INDArray[] {in, AutoencoderTrainer.oneHot(labels, idx, c.numClasses())});
  }
}
