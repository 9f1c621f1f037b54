package io.pixelstream.trainer.train;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.data.Shuffle;
import io.pixelstream.core.eval.ClusteringMetrics;
import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.trainer.model.AutoencoderConfig;
import io.pixelstream.trainer.model.AutoencoderGraph;
import io.pixelstream.trainer.model.ContrastiveLoss;
import io.pixelstream.trainer.model.Dl4jEmbedder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the autoencoder: a seeded split of the training data into train and validation, Adam steps
 * over seeded shuffles, validation loss (and, for labelled data, the NMI of k-means on the
 * validation embeddings) after each epoch, the best epoch's parameters by {@link
 * TrainingSettings#stopOn()} kept and restored, early stopping after {@code patience} epochs
 * without improvement.
 */
public final class AutoencoderTrainer {

  /** One epoch's figures; {@code validationNmi} is NaN for unlabelled data. */
  public record EpochStats(
      int epoch,
      double trainLoss,
      double validationLoss,
      double validationNmi,
      double seconds,
      double imagesPerSecond) {}

  /** The trained graph (best epoch), its input normalisation and the epochs' figures. */
  public record Result(
      ComputationGraph graph,
      Normalization normalization,
      List<EpochStats> epochs,
      int bestEpoch,
      double seconds,
      double imagesPerSecond) {}

  private AutoencoderTrainer() {}

  public static Result train(
      AutoencoderConfig config,
      TrainingSettings s,
      LabelledImages data,
      PrintStream out,
      boolean terminal) {
    InputShape shape = config.encoder().input();
    if (!data.shape().equals(shape)) {
      throw new IllegalArgumentException(
          "data is " + data.shape() + " but the encoder takes " + shape);
    }
    int classes = IntStream.of(data.labels()).max().orElse(0) + 1;
    boolean labelled = classes >= 2 && IntStream.of(data.labels()).allMatch(l -> l >= 0);
    if (s.stopOn() == TrainingSettings.StopOn.NMI && !labelled) {
      throw new IllegalArgumentException("stopping on validation NMI needs labelled data");
    }
    if (config.supervised()) {
      for (int l : data.labels()) {
        if (l < 0 || l >= config.numClasses()) {
          throw new IllegalArgumentException(
              "label "
                  + l
                  + " is outside 0.."
                  + (config.numClasses() - 1)
                  + "; unlabelled images need --variant vanilla");
        }
      }
    }
    if (config.contrastive() && !s.augment()) {
      throw new IllegalArgumentException(
          "contrastWeight needs augmentation: the two views of an image would be the same");
    }
    Normalization norm = fitNormalization(data, s.perImage());
    float[][] inputs = norm.applyAll(data.pixels(), shape.channels());
    int[] order = Shuffle.permutation(data.size(), new Random(s.seed()));
    int validation = Math.max(1, (int) Math.round(data.size() * s.validationFraction()));
    int[] valIdx = Arrays.copyOfRange(order, 0, validation);
    int[] trainIdx = Arrays.copyOfRange(order, validation, order.length);
    int batches = (trainIdx.length + s.batchSize() - 1) / s.batchSize();
    if (s.maxBatchesPerEpoch() > 0) {
      batches = Math.min(batches, s.maxBatchesPerEpoch());
    }

    ComputationGraph graph = AutoencoderGraph.build(config);
    Progress progress = new Progress(out, terminal, s.epochs(), batches);
    List<EpochStats> epochs = new ArrayList<>();
    INDArray bestParams = null;
    double best = Double.NEGATIVE_INFINITY; // of the watched figure, oriented higher-is-better
    int bestEpoch = -1;
    long start = System.nanoTime();
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      long epochStart = System.nanoTime();
      int[] shuffled = Shuffle.permutation(trainIdx.length, new Random(s.seed() + 1 + epoch));
      Augmentation augmentation =
          s.augment()
              ? new Augmentation(shape, norm, s.maxShift(), new Random(s.seed() * 31 + epoch))
              : null;
      Random turnRandom = new Random(s.seed() * 37 + epoch);
      double lossSum = 0;
      int seen = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * s.batchSize();
        int to = Math.min(trainIdx.length, from + s.batchSize());
        int[] idx = new int[to - from];
        for (int i = from; i < to; i++) {
          idx[i - from] = trainIdx[shuffled[i]];
        }
        float[][] rows = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
          rows[i] = augmentation == null ? inputs[idx[i]] : augmentation.apply(inputs[idx[i]]);
        }
        int[] turns = null;
        if (config.turnHead()) {
          turns = new int[idx.length];
          for (int i = 0; i < idx.length; i++) {
            turns[i] = turnRandom.nextInt(QuarterTurns.TURNS);
          }
        }
        if (config.contrastive()) {
          float[][] second = new float[idx.length][];
          for (int i = 0; i < idx.length; i++) {
            second[i] = augmentation.apply(inputs[idx[i]]);
          }
          graph.fit(pairedBatch(config, rows, second, turns));
        } else if (turns != null) {
          graph.fit(turnedBatch(config, rows, turns));
        } else {
          graph.fit(batch(config, rows, data.labels(), idx));
        }
        double loss = graph.score() - graph.calcRegularizationScore(true);
        lossSum += loss;
        seen += idx.length;
        progress.step(epoch, b, idx.length, loss);
      }
      graph.incrementEpochCount(); // the learning-rate schedule counts epochs
      double valLoss = validationLoss(graph, config, inputs, data.labels(), valIdx, s.batchSize());
      double valNmi =
          labelled
              ? validationNmi(graph, shape, inputs, data.labels(), valIdx, classes, s.seed())
              : Double.NaN;
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      epochs.add(
          new EpochStats(epoch + 1, lossSum / batches, valLoss, valNmi, seconds, seen / seconds));
      out.printf(
          "epoch %d: train loss %.4f, validation loss %.4f, validation NMI %.4f, %.1f s, %.0f"
              + " img/s%n",
          epoch + 1, lossSum / batches, valLoss, valNmi, seconds, seen / seconds);
      double watched = s.stopOn() == TrainingSettings.StopOn.NMI ? valNmi : -valLoss;
      if (watched > best) {
        best = watched;
        bestEpoch = epoch + 1;
        bestParams = graph.params().dup();
      } else if (epoch + 1 - bestEpoch >= s.patience()) {
        out.printf(
            "early stop: no better validation %s for %d epochs%n",
            s.stopOn() == TrainingSettings.StopOn.NMI ? "NMI" : "loss", s.patience());
        break;
      }
    }
    graph.setParams(bestParams);
    double total = (System.nanoTime() - start) / 1e9;
    return new Result(graph, norm, epochs, bestEpoch, total, progress.imagesPerSecond());
  }

  /**
   * Per-channel mean and standard deviation of the pixels scaled to [0, 1] and, with {@code
   * perImage}, by each image's own statistics: the normalisation that centres the training inputs.
   */
  public static Normalization fitNormalization(
      LabelledImages data, Normalization.PerImage perImage) {
    int c = data.shape().channels();
    int plane = data.shape().height() * data.shape().width();
    Normalization scaleOnly = Normalization.unit(c).withPerImage(perImage);
    double[] sum = new double[c];
    double[] sq = new double[c];
    for (byte[] p : data.pixels()) {
      float[] x = scaleOnly.apply(p, c);
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < plane; i++) {
          double v = x[ch * plane + i];
          sum[ch] += v;
          sq[ch] += v * v;
        }
      }
    }
    double n = (double) data.size() * plane;
    double[] mean = new double[c];
    double[] std = new double[c];
    for (int ch = 0; ch < c; ch++) {
      mean[ch] = sum[ch] / n;
      std[ch] = Math.max(1e-3, Math.sqrt(Math.max(0, sq[ch] / n - mean[ch] * mean[ch])));
    }
    return new Normalization(1.0 / 255.0, mean, std, perImage);
  }

  /** A training batch: {@code rows} (inputs and reconstruction targets), labels {@code idx}'s. */
  static MultiDataSet batch(AutoencoderConfig config, float[][] rows, int[] labels, int[] idx) {
    INDArray x = Dl4jEmbedder.features(rows, 0, rows.length, config.encoder().input());
    if (!config.supervised()) {
      return new MultiDataSet(new INDArray[] {x}, new INDArray[] {x});
    }
    return new MultiDataSet(
        new INDArray[] {x}, new INDArray[] {x, oneHot(labels, idx, config.numClasses())});
  }

  /**
   * A batch for the quarter-turn head: each of {@code rows} turned {@code turns[i]} quarter turns,
   * as input and reconstruction target, and its turns as the head's class.
   */
  static MultiDataSet turnedBatch(AutoencoderConfig config, float[][] rows, int[] turns) {
    InputShape shape = config.encoder().input();
    float[][] turned = new float[rows.length][];
    int[] order = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      turned[i] = QuarterTurns.turn(rows[i], shape, turns[i]);
      order[i] = i;
    }
    INDArray x = Dl4jEmbedder.features(turned, 0, turned.length, shape);
    return new MultiDataSet(
        new INDArray[] {x}, new INDArray[] {x, oneHot(turns, order, QuarterTurns.TURNS)});
  }

  /**
   * A batch of two views of each image for the contrastive loss: {@code first}, then {@code
   * second}, both given the same {@code turns} when the graph has the quarter-turn head (null
   * otherwise), as inputs and reconstruction targets.
   */
  static MultiDataSet pairedBatch(
      AutoencoderConfig config, float[][] first, float[][] second, int[] turns) {
    int n = first.length;
    float[][] rows = new float[2 * n][];
    System.arraycopy(first, 0, rows, 0, n);
    System.arraycopy(second, 0, rows, n, n);
    MultiDataSet views;
    if (turns == null) {
      views = batch(config, rows, null, null);
    } else {
      int[] both = new int[2 * n];
      System.arraycopy(turns, 0, both, 0, n);
      System.arraycopy(turns, 0, both, n, n);
      views = turnedBatch(config, rows, both);
    }
    INDArray[] labels = Arrays.copyOf(views.getLabels(), views.numLabelsArrays() + 1);
    labels[labels.length - 1] = ContrastiveLoss.labels(n);
    return new MultiDataSet(views.getFeatures(), labels);
  }

  /** One row per {@code idx}, a 1 in the column of its label. */
  public static INDArray oneHot(int[] labels, int[] idx, int classes) {
    INDArray y = Nd4j.zeros(idx.length, classes);
    for (int i = 0; i < idx.length; i++) {
      y.putScalar(i, labels[idx[i]], 1.0);
    }
    return y;
  }

  /** NMI of k-means ({@code classes} clusters, one seeded fit) on the validation embeddings. */
  private static double validationNmi(
      ComputationGraph graph,
      InputShape shape,
      float[][] inputs,
      int[] labels,
      int[] valIdx,
      int classes,
      long seed) {
    float[][] rows = new float[valIdx.length][];
    int[] truth = new int[valIdx.length];
    for (int i = 0; i < valIdx.length; i++) {
      rows[i] = inputs[valIdx[i]];
      truth[i] = labels[valIdx[i]];
    }
    float[][] emb = Dl4jEmbedder.embed(graph, rows, shape, 256);
    return ClusteringMetrics.nmi(
        truth, EmbeddingEvaluation.kMeansClusters(emb, Math.min(classes, emb.length), seed));
  }

  private static double validationLoss(
      ComputationGraph graph,
      AutoencoderConfig config,
      float[][] inputs,
      int[] labels,
      int[] valIdx,
      int batchSize) {
    double sum = 0;
    int n = 0;
    for (int from = 0; from < valIdx.length; from += batchSize) {
      int[] idx = Arrays.copyOfRange(valIdx, from, Math.min(valIdx.length, from + batchSize));
      float[][] rows = new float[idx.length][];
      for (int i = 0; i < idx.length; i++) {
        rows[i] = inputs[idx[i]];
      }
      MultiDataSet batch;
      int[] turns = null;
      if (config.turnHead()) {
        turns = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
          turns[i] = (from + i) % QuarterTurns.TURNS; // every turn, the same ones each epoch
        }
      }
      if (config.contrastive()) {
        batch = pairedBatch(config, rows, rows, turns); // the same view twice: no augmentation
      } else if (turns != null) {
        batch = turnedBatch(config, rows, turns);
      } else {
        batch = batch(config, rows, labels, idx);
      }
      sum += graph.score(batch, false) * idx.length;
      n += idx.length;
    }
    // DL4J's score adds the weight-decay term; compare epochs by the data loss alone
    return sum / n - graph.calcRegularizationScore(true);
  }
}
