package io.pixelstream.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EncoderPoolTest {

  private static final ModelArtifact MODEL =
      RandomModel.create(
          "pool", "2026-01-01T00:00:00Z", EncoderSpec.fashionMnist(), Normalization.unit(1), 3, 8);

  @Test
  void concurrentCallersGetTheirOwnEmbeddings() throws Exception {
    Random random = new Random(21);
    float[][] inputs = new float[200][28 * 28];
    for (float[] row : inputs) {
      for (int i = 0; i < row.length; i++) {
        row[i] = random.nextFloat();
      }
    }
    float[][] expected;
    try (ImageEncoder direct = ImageEncoder.open(MODEL, ImageEncoder.DeviceChoice.CPU)) {
      expected = direct.embed(inputs);
    }
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (EncoderPool pool =
        new EncoderPool(
            () -> ImageEncoder.open(MODEL, ImageEncoder.DeviceChoice.CPU),
            2,
            16,
            64,
            Duration.ofSeconds(30))) {
      List<Future<float[]>> results = new ArrayList<>();
      for (float[] input : inputs) {
        results.add(callers.submit(() -> pool.embed(input)));
      }
      for (int i = 0; i < inputs.length; i++) {
        assertThat(results.get(i).get())
            .as("input %d", i)
            .containsExactly(expected[i], within(1e-5f));
      }
    } finally {
      callers.shutdown();
    }
  }

  @Test
  void refusesWorkWhenClosedAndBadSizes() {
    EncoderPool pool =
        new EncoderPool(
            () -> ImageEncoder.open(MODEL, ImageEncoder.DeviceChoice.CPU),
            1,
            4,
            4,
            Duration.ofSeconds(5));
    pool.close();
    assertThatThrownBy(() -> pool.embed(new float[28 * 28])).hasMessageContaining("closed");
    assertThatThrownBy(
            () ->
                new EncoderPool(
                    () -> ImageEncoder.open(MODEL, ImageEncoder.DeviceChoice.CPU),
                    0,
                    4,
                    4,
                    Duration.ZERO))
        .hasMessageContaining("workers");
  }

  @Test
  void aBadInputFailsOnlyItsOwnBatch() {
    try (EncoderPool pool =
        new EncoderPool(
            () -> ImageEncoder.open(MODEL, ImageEncoder.DeviceChoice.CPU),
            1,
            4,
            4,
            Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> pool.embed(new float[3]))
          .hasRootCauseMessage("an input has 3 values, the encoder takes 784");
      assertThat(pool.embed(new float[28 * 28])).hasSize(64);
    }
  }
}
