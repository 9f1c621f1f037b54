package io.pixelstream.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder family of the published method: blocks of Conv(3x3, same padding) - BatchNorm - ReLU
 * - MaxPool(2), then flatten and a linear bottleneck whose output is the embedding, optionally
 * scaled to unit length.
 *
 * @param input image shape the encoder takes
 * @param widths output channels of each conv block (one block per entry)
 * @param embeddingDim size of the bottleneck
 * @param normalized whether the embedding is L2-normalised (the linear layer is then named {@code
 *     bottleneck} and an {@code l2normalize} layer named {@code embedding} follows it)
 */
public record EncoderSpec(InputShape input, int[] widths, int embeddingDim, boolean normalized) {

  /** BatchNorm epsilon used by both frameworks. */
  public static final double BATCH_NORM_EPS = 1e-5;

  /** Epsilon of the L2 normalisation (the norm is clamped to at least this). */
  public static final double L2_EPS = 1e-8;

  /** The name of the encoder's last layer, whose output is the embedding. */
  public static final String EMBEDDING = "embedding";

  public EncoderSpec {
    if (widths.length == 0) {
      throw new IllegalArgumentException("widths must name at least one conv block");
    }
    if (embeddingDim < 1) {
      throw new IllegalArgumentException("embeddingDim must be >= 1, got " + embeddingDim);
    }
    widths = widths.clone();
  }

  /** The default for 1x28x28 Fashion-MNIST: two blocks (16, 32 channels), 64-d embedding. */
  public static EncoderSpec fashionMnist() {
    return new EncoderSpec(new InputShape(1, 28, 28), new int[] {16, 32}, 64, false);
  }

  /** The layer list this spec describes, names {@code conv1, bn1, relu1, pool1, ..., embedding}. */
  public List<Layer> layers() {
    List<Layer> layers = new ArrayList<>();
    int channels = input.channels();
    int h = input.height();
    int w = input.width();
    for (int i = 0; i < widths.length; i++) {
      int b = i + 1;
      layers.add(new Layer.Conv2d("conv" + b, channels, widths[i], 3, 1, 1));
      layers.add(new Layer.BatchNorm2d("bn" + b, widths[i], BATCH_NORM_EPS));
      layers.add(new Layer.Relu("relu" + b));
      layers.add(new Layer.MaxPool2d("pool" + b, 2, 2));
      channels = widths[i];
      h /= 2;
      w /= 2;
      if (h < 1 || w < 1) {
        throw new IllegalArgumentException("too many conv blocks for a " + input + " input");
      }
    }
    layers.add(new Layer.Flatten("flatten"));
    if (normalized) {
      layers.add(new Layer.Linear("bottleneck", channels * h * w, embeddingDim));
      layers.add(new Layer.L2Normalize(EMBEDDING, L2_EPS));
    } else {
      layers.add(new Layer.Linear(EMBEDDING, channels * h * w, embeddingDim));
    }
    return layers;
  }
}
