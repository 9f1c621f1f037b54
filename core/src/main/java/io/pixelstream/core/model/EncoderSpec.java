package io.pixelstream.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder family of the published method: blocks of Conv(3x3, same padding) - BatchNorm - ReLU
 * - MaxPool(2), then flatten and a linear bottleneck whose output is the embedding.
 *
 * @param input image shape the encoder takes
 * @param widths output channels of each conv block (one block per entry)
 * @param embeddingDim size of the bottleneck
 */
public record EncoderSpec(InputShape input, int[] widths, int embeddingDim) {

  /** BatchNorm epsilon used by both frameworks. */
  public static final double BATCH_NORM_EPS = 1e-5;

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
    return new EncoderSpec(new InputShape(1, 28, 28), new int[] {16, 32}, 64);
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
    layers.add(new Layer.Linear("embedding", channels * h * w, embeddingDim));
    return layers;
  }
}
