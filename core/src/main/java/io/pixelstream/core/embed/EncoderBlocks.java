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
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.NdArray;
import java.util.Map;

/** Builds the DJL block for a manifest's architecture and loads the artifact's weights into it. */
final class EncoderBlocks {

  /** DJL's parameter names -> ours (PyTorch's), where they differ. */
  private static final Map<String, String> OUR_NAMES =
      Map.of("runningMean", "running_mean", "runningVar", "running_var");

  private EncoderBlocks() {}

  /** A block initialised on {@code manager} for a batch of the manifest's input, weights loaded. */
  static SequentialBlock build(ModelArtifact artifact, NDManager manager) {
    ModelManifest m = artifact.manifest();
    SequentialBlock sequence = new SequentialBlock();
    for (Layer layer : m.architecture()) {
      sequence.add(toBlock(layer));
    }
    sequence.initialize(
        manager,
        DataType.FLOAT32,
        new Shape(1, m.input().channels(), m.input().height(), m.input().width()));
    int i = 0;
    for (Layer layer : m.architecture()) {
      Block block = sequence.getChildren().get(i++).getValue();
      for (var entry : block.getParameters()) {
        String djlName = entry.getKey();
        Parameter parameter = entry.getValue();
        String ours = OUR_NAMES.getOrDefault(djlName, djlName);
        NdArray weights = artifact.weight(layer.name() + "." + ours);
        parameter.getArray().set(weights.data());
      }
    }
    return sequence;
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
      return Pool.maxPool2dBlock(
          new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()));
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
