package io.pixelstream.trainer.train;

import io.pixelstream.core.model.InputShape;
import io.pixelstream.trainer.model.AutoencoderGraph;

/**
 * Quarter turns of square CHW images: the label-free task of the vanilla autoencoder's turn head.
 * To tell an upright photo from one on its side, the embedding has to encode what is in it (sky
 * above, wheels below), not only where its colours lie, which per-pixel reconstruction alone
 * rewards (docs/benchmarks.md, "Vanilla variant").
 */
final class QuarterTurns {

  /** Turns 0 to 3, the head's classes. */
  static final int TURNS = AutoencoderGraph.TURN_CLASSES;

  private QuarterTurns() {}

  /**
   * {@code image} turned {@code turns} quarter turns anticlockwise; a new array, or {@code image}
   * itself for 0 turns.
   */
  static float[] turn(float[] image, InputShape shape, int turns) {
    if (shape.height() != shape.width()) {
      throw new IllegalArgumentException("quarter turns need square images, got " + shape);
    }
    if (turns < 0 || turns >= TURNS) {
      throw new IllegalArgumentException("turns must be in [0, " + TURNS + "), got " + turns);
    }
    if (turns == 0) {
      return image;
    }
    int n = shape.width();
    int plane = n * n;
    float[] out = new float[image.length];
    for (int c = 0; c < shape.channels(); c++) {
      int base = c * plane;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int sy;
          int sx;
          switch (turns) {
            case 1 -> {
              sy = x;
              sx = n - 1 - y;
            }
            case 2 -> {
              sy = n - 1 - y;
              sx = n - 1 - x;
            }
            default -> {
              sy = n - 1 - x;
              sx = y;
            }
          }
          out[base + y * n + x] = image[base + sy * n + sx];
        }
      }
    }
    return out;
  }
}
