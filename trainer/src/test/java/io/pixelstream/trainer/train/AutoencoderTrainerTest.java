package io.pixelstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
}
