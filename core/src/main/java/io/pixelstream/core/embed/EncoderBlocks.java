package io.pixelstream.core.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds the DJL block for a manifest's architecture and loads the artifact's weights into it. */
final class EncoderBlocks {

  /** DJL's parameter names -> ours (PyTorch's), where they differ. */
  private static final Map<String, String> OUR_NAMES =
      Map.of("runningMean", "running_mean", "runningVar", "running_var");

  private EncoderBlocks() {}

  /**
   * A block initialised on {@code manager} for a batch of the layers' input (the image, or the
   * vector a model file gives: {@link ModelManifest#layersInput()}), weights loaded. A batch
   * normalisation right after a convolution is folded into the convolution's weights and bias
   * (inference uses the running statistics, so the pair is one affine map per channel): one op and
   * one pass over the activation less per block.
   */
  static SequentialBlock build(ModelArtifact artifact, NDManager manager) {
    ModelManifest m = artifact.manifest();
    List<Layer> layers = m.architecture();
    SequentialBlock sequence = new SequentialBlock();
    List<Function<String, float[]>> weightsOf = new ArrayList<>(); // per block: DJL name -> data
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (layer instanceof Layer.Conv2d conv
          && i + 1 < layers.size()
          && layers.get(i + 1) instanceof Layer.BatchNorm2d bn) {
        Map<String, float[]> folded = foldBatchNorm(artifact, conv, bn);
        sequence.add(toBlock(conv));
        weightsOf.add(folded::get);
        i++;
      } else {
        sequence.add(toBlock(layer));
        weightsOf.add(
            djlName ->
                artifact
                    .weight(layer.name() + "." + OUR_NAMES.getOrDefault(djlName, djlName))
                    .data());
      }
    }
    long[] batchOfOne = new long[m.layersInput().length + 1];
    batchOfOne[0] = 1;
    for (int d = 0; d < m.layersInput().length; d++) {
      batchOfOne[d + 1] = m.layersInput()[d];
    }
    sequence.initialize(manager, DataType.FLOAT32, new Shape(batchOfOne));
    for (int b = 0; b < weightsOf.size(); b++) {
      Block block = sequence.getChildren().get(b).getValue();
      for (var entry : block.getParameters()) {
        entry.getValue().getArray().set(weightsOf.get(b).apply(entry.getKey()));
      }
    }
    return sequence;
  }

  /**
   * {@code conv} followed by {@code bn} as one convolution: per output channel o, with s = gamma /
   * sqrt(running_var + eps), weight' = weight * s and bias' = (bias - running_mean) * s + beta.
   */
  private static Map<String, float[]> foldBatchNorm(
      ModelArtifact artifact, Layer.Conv2d conv, Layer.BatchNorm2d bn) {
    float[] weight = artifact.weight(conv.name() + ".weight").data();
    float[] bias = artifact.weight(conv.name() + ".bias").data();
    float[] gamma = artifact.weight(bn.name() + ".gamma").data();
    float[] beta = artifact.weight(bn.name() + ".beta").data();
    float[] mean = artifact.weight(bn.name() + ".running_mean").data();
    float[] var = artifact.weight(bn.name() + ".running_var").data();
    int out = conv.outChannels();
    int perChannel = weight.length / out;
    float[] w = new float[weight.length];
    float[] b = new float[out];
    for (int o = 0; o < out; o++) {
      double scale = gamma[o] / Math.sqrt(var[o] + bn.eps());
      for (int i = o * perChannel; i < (o + 1) * perChannel; i++) {
        w[i] = (float) (weight[i] * scale);
      }
      b[o] = (float) ((bias[o] - mean[o]) * scale + beta[o]);
    }
    return Map.of("weight", w, "bias", b);
  }

  /**
   * Max pooling (no padding, rounding down) as element-wise maxima of strided views: over the
   * kernel's rows, then over its columns. libtorch's own CPU kernel ({@code max_pool2d}, which also
   * computes the indices a backward pass would need) took 63-71 % of a forward pass at batch 32-256
   * and 27 % at batch 1. Intermediates are closed at once rather than with the predictor's manager,
   * which keeps the pass's native working set as small as before.
   */
  private static Block maxPool(Layer.MaxPool2d pool) {
    return new LambdaBlock(
        in -> {
          try (NDArray rows = maxAlong(in.singletonOrThrow(), 2, pool.kernel(), pool.stride())) {
            return new NDList(maxAlong(rows, 3, pool.kernel(), pool.stride()));
          }
        },
        pool.name());
  }

  /**
   * The maximum over each window of {@code kernel} positions, {@code stride} apart, along {@code
   * axis}. The views come from {@link JniUtils#slice} (one native call, no copy): DJL's generic
   * {@code NDArray.get(NDIndex)} goes through advanced indexing, which made batch 1 slower than
   * libtorch's pooling.
   */
  private static NDArray maxAlong(NDArray x, int axis, int kernel, int stride) {
    PtNDArray in = (PtNDArray) x;
    long last = stride * ((x.getShape().get(axis) - kernel) / stride); // the last window's start
    NDArray max = JniUtils.slice(in, axis, 0, last + 1, stride);
    for (int offset = 1; offset < kernel; offset++) {
      try (NDArray view = JniUtils.slice(in, axis, offset, offset + last + 1, stride)) {
        NDArray next = max.maximum(view);
        max.close();
        max = next;
      }
    }
    return max;
  }

  private static Block toBlock(Layer layer) {
    if (layer instanceof Layer.Conv2d c) {
      return Conv2d.builder()
          .setKernelShape(new Shape(c.kernel(), c.kernel()))
          .optStride(new Shape(c.stride(), c.stride()))
          .optPadding(new Shape(c.padding(), c.padding()))
          .setFilters(c.outChannels())
          .build();
    }
    if (layer instanceof Layer.BatchNorm2d b) {
      return BatchNorm.builder().optAxis(1).optEpsilon((float) b.eps()).build();
    }
    if (layer instanceof Layer.Relu) {
      return Activation.reluBlock();
    }
    if (layer instanceof Layer.MaxPool2d p) {
      return maxPool(p);
    }
    if (layer instanceof Layer.Flatten) {
      return Blocks.batchFlattenBlock();
    }
    if (layer instanceof Layer.Linear l) {
      return Linear.builder().setUnits(l.outFeatures()).build();
    }
    if (layer instanceof Layer.L2Normalize l2) {
      float eps = (float) l2.eps();
      return new LambdaBlock(
          in -> {
            NDArray x = in.singletonOrThrow();
            return new NDList(x.div(x.norm(new int[] {1}, true).maximum(eps)));
          },
          l2.name());
    }
    throw new IllegalArgumentException("layer type not supported: " + layer);
  }
}
