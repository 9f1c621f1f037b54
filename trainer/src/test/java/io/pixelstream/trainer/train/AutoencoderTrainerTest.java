package io.pixelstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.trainer.model.AutoencoderConfig;
import io.pixelstream.trainer.model.Dl4jEmbedder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

class AutoencoderTrainerTest {

  @ParameterizedTest
  @EnumSource(Normalization.PerImage.class)
  void fittedNormalizationCentresTheTrainingInputsPerChannel(Normalization.PerImage perImage) {
    InputShape shape = new InputShape(3, 8, 8);
    byte[][] pixels = new byte[50][];
    for (int n = 0; n < pixels.length; n++) {
      pixels[n] = TestImages.randomPixels(3, 8, 8, 100 + n);
      int brightness = 1 + n % 4; // dark to bright copies, so per-image scaling matters
      for (int i = 0; i < pixels[n].length; i++) {
        pixels[n][i] = (byte) ((pixels[n][i] & 0xFF) / 4 * brightness);
      }
    }
    LabelledImages data = new LabelledImages(shape, pixels, new int[pixels.length]);

    Normalization norm = AutoencoderTrainer.fitNormalization(data, perImage);

    assertThat(norm.perImage()).isEqualTo(perImage);
    int plane = 64;
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double sq = 0;
      for (byte[] p : pixels) {
        float[] x = norm.apply(p, 3);
        for (int i = 0; i < plane; i++) {
          sum += x[c * plane + i];
          sq += x[c * plane + i] * x[c * plane + i];
        }
      }
      double count = pixels.length * plane;
      assertThat(sum / count).as("mean of channel %d", c).isCloseTo(0, within(1e-4));
      assertThat(sq / count).as("second moment of channel %d", c).isCloseTo(1, within(1e-3));
    }
  }

  @Test
  void stoppingOnNmiKeepsTheEpochWithTheBestValidationNmi() {
    InputShape shape = new InputShape(3, 8, 8);
    byte[][] pixels = new byte[120][];
    int[] labels = new int[pixels.length];
    for (int n = 0; n < pixels.length; n++) {
      labels[n] = n % 3;
      pixels[n] = TestImages.randomPixels(3, 8, 8, 7 + n);
      for (int i = labels[n] * 64; i < (labels[n] + 1) * 64; i++) {
        pixels[n][i] = (byte) (pixels[n][i] | 0xC0); // each class brighter in its own channel
      }
    }
    LabelledImages data = new LabelledImages(shape, pixels, labels);
    AutoencoderConfig vanilla = vanilla(new EncoderSpec(shape, new int[] {4}, 4, true), 0);
    TrainingSettings settings = settings(4, false, TrainingSettings.StopOn.NMI);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    AutoencoderTrainer.Result result =
        AutoencoderTrainer.train(vanilla, settings, data, quiet, false);

    assertThat(result.epochs()).hasSize(4);
    assertThat(result.epochs()).allSatisfy(e -> assertThat(e.validationNmi()).isBetween(0.0, 1.0));
    AutoencoderTrainer.EpochStats best =
        result.epochs().stream()
            .max(Comparator.comparingDouble(AutoencoderTrainer.EpochStats::validationNmi))
            .orElseThrow();
    assertThat(result.bestEpoch()).isEqualTo(best.epoch());

    LabelledImages unlabelled = new LabelledImages(shape, pixels, new int[pixels.length]);
    assertThatThrownBy(() -> AutoencoderTrainer.train(vanilla, settings, unlabelled, quiet, false))
        .hasMessageContaining("stopping on validation NMI needs labelled data");
  }

  @Test
  void theTurnHeadLearnsWhichWayUpAnImageIs() {
    InputShape shape = new InputShape(3, 8, 8);
    byte[][] pixels = new byte[160][];
    for (int n = 0; n < pixels.length; n++) {
      pixels[n] = TestImages.randomPixels(3, 8, 8, 11 + n);
      for (int c = 0; c < 3; c++) {
        for (int x = 0; x < 8; x++) {
          pixels[n][c * 64 + x] = (byte) 0xFF; // a bright top row: upright is visible
        }
      }
    }
    LabelledImages data = new LabelledImages(shape, pixels, new int[pixels.length]);
    AutoencoderConfig turning = vanilla(new EncoderSpec(shape, new int[] {4}, 8, false), 1);
    TrainingSettings settings = settings(6, true, TrainingSettings.StopOn.LOSS);

    AutoencoderTrainer.Result result =
        AutoencoderTrainer.train(
            turning, settings, data, new PrintStream(OutputStream.nullOutputStream()), false);

    float[][] rows = result.normalization().applyAll(pixels, 3);
    int[] turns = new int[rows.length];
    for (int i = 0; i < turns.length; i++) {
      turns[i] = i % 4;
    }
    MultiDataSet batch = AutoencoderTrainer.turnedBatch(turning, rows, turns);
    INDArray predicted = result.graph().output(false, batch.getFeatures(0))[1].argMax(1);
    int right = 0;
    for (int i = 0; i < turns.length; i++) {
      right += predicted.getInt(i) == turns[i] ? 1 : 0;
    }
    assertThat((double) right / turns.length).as("turn accuracy").isGreaterThan(0.9);
    assertThat(batch.getLabels(1).sum(0).toFloatVector()).containsExactly(40, 40, 40, 40);
  }

  @Test
  void theContrastiveLossBringsTwoViewsOfAnImageTogether() {
    InputShape shape = new InputShape(3, 8, 8);
    byte[][] pixels = new byte[96][];
    for (int n = 0; n < pixels.length; n++) {
      pixels[n] = TestImages.randomPixels(3, 8, 8, 31 + n);
      for (int i = 0; i < pixels[n].length; i++) {
        int x = i % 8;
        if (x >= 4) {
          pixels[n][i] = pixels[n][i - 2 * x + 7]; // mirrored: a flip leaves it as it is
        }
      }
    }
    LabelledImages data = new LabelledImages(shape, pixels, new int[pixels.length]);
    EncoderSpec spec = new EncoderSpec(shape, new int[] {4}, 8, false);
    TrainingSettings settings = settings(12, true, TrainingSettings.StopOn.LOSS);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    double plain =
        partnerGap(
            AutoencoderTrainer.train(vanilla(spec, 0), settings, data, quiet, false), pixels);
    double contrastive =
        partnerGap(
            AutoencoderTrainer.train(vanilla(spec, 0, 1), settings, data, quiet, false), pixels);

    // measured: 0.83 against 0.14
    assertThat(contrastive).as("partner gap, contrastive").isGreaterThan(plain + 0.3);
    assertThatThrownBy(
            () ->
                AutoencoderTrainer.train(
                    vanilla(spec, 0, 1),
                    settings(2, false, TrainingSettings.StopOn.LOSS),
                    data,
                    quiet,
                    false))
        .hasMessageContaining("contrastWeight needs augmentation");
  }

  /**
   * How much closer by cosine each image's embedding is to that of its own flipped and shifted view
   * than to the other images' views, on average.
   */
  private static double partnerGap(AutoencoderTrainer.Result result, byte[][] pixels) {
    InputShape shape = new InputShape(3, 8, 8);
    float[][] rows = result.normalization().applyAll(pixels, 3);
    Augmentation views = new Augmentation(shape, result.normalization(), 1, new Random(99));
    float[][] second = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      second[i] = views.apply(rows[i]);
    }
    float[][] a = Dl4jEmbedder.embed(result.graph(), rows, shape, 64);
    float[][] b = Dl4jEmbedder.embed(result.graph(), second, shape, 64);
    double partners = 0;
    double others = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (i == j) {
          partners += cosine(a[i], b[j]);
        } else {
          others += cosine(a[i], b[j]);
        }
      }
    }
    return partners / a.length - others / (a.length * (a.length - 1.0));
  }

  private static double cosine(float[] x, float[] y) {
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return dot / Math.sqrt(nx * ny);
  }

  @Test
  void aPairedBatchHoldsBothViewsWithTheSameTurns() {
    InputShape shape = new InputShape(1, 4, 4);
    AutoencoderConfig config = vanilla(new EncoderSpec(shape, new int[] {2}, 4, false), 1, 1);
    float[][] first = {new float[16], new float[16]};
    float[][] second = {new float[16], new float[16]};
    first[0][1] = 1; // the top row's second pixel
    second[0][1] = 2;
    MultiDataSet batch = AutoencoderTrainer.pairedBatch(config, first, second, new int[] {1, 3});

    assertThat(batch.getFeatures(0).shape()).containsExactly(4, 1, 4, 4);
    assertThat(batch.getLabels(1).argMax(1).toIntVector()).containsExactly(1, 3, 1, 3);
    assertThat(batch.getLabels(2).toDoubleMatrix()[0]).containsExactly(-1, 0, 1, 0);
    // one quarter turn moves (row 0, col 1) to the same place in both views
    float[] v0 = batch.getFeatures(0).slice(0).reshape(16).toFloatVector();
    float[] v2 = batch.getFeatures(0).slice(2).reshape(16).toFloatVector();
    for (int i = 0; i < 16; i++) {
      assertThat(v2[i]).isEqualTo(v0[i] * 2);
    }
  }

  /** The vanilla autoencoder, Adam at 0.01, seed 3. */
  private static AutoencoderConfig vanilla(EncoderSpec spec, double turnWeight) {
    return vanilla(spec, turnWeight, 0);
  }

  /** The vanilla autoencoder with a contrastive loss, Adam at 0.01, seed 3. */
  private static AutoencoderConfig vanilla(
      EncoderSpec spec, double turnWeight, double contrastWeight) {
    return new AutoencoderConfig(
        spec,
        0,
        1,
        turnWeight,
        contrastWeight,
        0.01,
        1,
        0,
        0,
        AutoencoderConfig.Init.FAN_IN_UNIFORM,
        3);
  }

  /** Batches of 16, a quarter for validation, no early stop before {@code epochs}, seed 5. */
  private static TrainingSettings settings(
      int epochs, boolean augment, TrainingSettings.StopOn stopOn) {
    return new TrainingSettings(
        epochs, 16, 0, 0.25, epochs, augment, 1, Normalization.PerImage.NONE, stopOn, 5);
  }
}
