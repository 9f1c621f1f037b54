package io.pixelstream.core.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape arithmetic over a layer list: what each layer outputs and which weight arrays (with shapes)
 * it needs. Used to check an artifact before any framework sees it.
 */
public final class Architecture {

  /** BatchNorm2d's arrays, in PyTorch's names. */
  public static final List<String> BATCH_NORM_PARAMS =
      List.of("gamma", "beta", "running_mean", "running_var");

  private Architecture() {}

  /**
   * The weight arrays {@code layers} need, in order, keyed {@code <layer>.<param>}.
   *
   * @throws IllegalArgumentException naming the first layer whose input does not fit
   */
  public static Map<String, int[]> parameterShapes(InputShape input, List<Layer> layers) {
    return parameterShapes(chw(input), layers);
  }

  /** {@link #parameterShapes(InputShape, List)} for an input of any shape, e.g. a vector. */
  public static Map<String, int[]> parameterShapes(int[] input, List<Layer> layers) {
    Map<String, int[]> shapes = new LinkedHashMap<>();
    walk(input, layers, shapes);
    return shapes;
  }

  /** The output length of {@code layers} applied to {@code input}; must be a flat vector. */
  public static int outputDim(InputShape input, List<Layer> layers) {
    return outputDim(chw(input), layers);
  }

  /** {@link #outputDim(InputShape, List)} for an input of any shape, e.g. a vector. */
  public static int outputDim(int[] input, List<Layer> layers) {
    int[] out = walk(input, layers, new LinkedHashMap<>());
    if (out.length != 1) {
      throw new IllegalArgumentException(
          "architecture must end in a flat vector (flatten + linear), ends in "
              + Arrays.toString(out));
    }
    return out[0];
  }

  private static int[] chw(InputShape input) {
    return new int[] {input.channels(), input.height(), input.width()};
  }

  private static int[] walk(int[] input, List<Layer> layers, Map<String, int[]> params) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("architecture has no layers");
    }
    int[] shape = input.clone();
    for (Layer layer : layers) {
      if (layer.name() == null || layer.name().isBlank()) {
        throw new IllegalArgumentException("every layer needs a name: " + layer);
      }
      String n = layer.name();
      shape = step(layer, n, shape, params);
    }
    return shape;
  }

  private static int[] step(Layer layer, String n, int[] shape, Map<String, int[]> params) {
    if (layer instanceof Layer.Conv2d c) {
      requireRank(shape, 3, c);
      if (shape[0] != c.inChannels()) {
        throw mismatch(c, "inChannels " + c.inChannels() + " but input has " + shape[0]);
      }
      positive(c, c.outChannels(), c.kernel(), c.stride());
      int h = (shape[1] + 2 * c.padding() - c.kernel()) / c.stride() + 1;
      int w = (shape[2] + 2 * c.padding() - c.kernel()) / c.stride() + 1;
      params.put(
          n + ".weight", new int[] {c.outChannels(), c.inChannels(), c.kernel(), c.kernel()});
      params.put(n + ".bias", new int[] {c.outChannels()});
      return checked(c, new int[] {c.outChannels(), h, w});
    }
    if (layer instanceof Layer.BatchNorm2d b) {
      requireRank(shape, 3, b);
      if (shape[0] != b.channels()) {
        throw mismatch(b, "channels " + b.channels() + " but input has " + shape[0]);
      }
      for (String p : BATCH_NORM_PARAMS) {
        params.put(n + "." + p, new int[] {b.channels()});
      }
      return shape;
    }
    if (layer instanceof Layer.MaxPool2d p) {
      requireRank(shape, 3, p);
      positive(p, p.kernel(), p.stride());
      int h = (shape[1] - p.kernel()) / p.stride() + 1;
      int w = (shape[2] - p.kernel()) / p.stride() + 1;
      return checked(p, new int[] {shape[0], h, w});
    }
    if (layer instanceof Layer.Flatten) {
      return new int[] {Arrays.stream(shape).reduce(1, (a, b) -> a * b)};
    }
    if (layer instanceof Layer.Linear l) {
      requireRank(shape, 1, l);
      if (shape[0] != l.inFeatures()) {
        throw mismatch(l, "inFeatures " + l.inFeatures() + " but input has " + shape[0]);
      }
      positive(l, l.outFeatures());
      params.put(n + ".weight", new int[] {l.outFeatures(), l.inFeatures()});
      params.put(n + ".bias", new int[] {l.outFeatures()});
      return new int[] {l.outFeatures()};
    }
    if (layer instanceof Layer.L2Normalize l) {
      requireRank(shape, 1, l);
      if (!(l.eps() > 0)) {
        throw mismatch(l, "eps must be > 0, got " + l.eps());
      }
      return shape;
    }
    return shape; // Relu keeps the shape
  }

  private static void requireRank(int[] shape, int rank, Layer layer) {
    if (shape.length != rank) {
      throw mismatch(layer, "expects a rank-" + rank + " input, got " + Arrays.toString(shape));
    }
  }

  private static void positive(Layer layer, int... values) {
    for (int v : values) {
      if (v < 1) {
        throw mismatch(layer, "sizes must be positive");
      }
    }
  }

  private static int[] checked(Layer layer, int[] shape) {
    for (int d : shape) {
      if (d < 1) {
        throw mismatch(layer, "output would be empty: " + Arrays.toString(shape));
      }
    }
    return shape;
  }

  private static IllegalArgumentException mismatch(Layer layer, String what) {
    return new IllegalArgumentException("layer '" + layer.name() + "': " + what);
  }
}
