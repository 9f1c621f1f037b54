package io.pixelstream.core.data;

import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.StoredImages;
import io.pixelstream.core.model.InputShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Where training data comes from, parsed from {@code --data}:
 *
 * <ul>
 *   <li>{@code fashion-mnist} or {@code fashion-mnist:<dir>}: IDX files (Debian's package by
 *       default)
 *   <li>{@code cifar10:<dir>}: CIFAR-10 binary version ({@code data_batch_*.bin}, {@code
 *       test_batch.bin})
 *   <li>{@code folder:<dir>}: {@code <dir>/<class>/<image>}, PNG or JPEG, resized to {@code
 *       --input}
 *   <li>{@code index:<index-root>:<model-version>}: the images stored in the live index
 * </ul>
 *
 * The first two have their own test split; the others hold out 20% with the given seed.
 */
public record DatasetSpec(String kind, Path path, String version) {

  /** Training and held-out images. */
  public record Split(LabelledImages train, LabelledImages test) {}

  public static DatasetSpec parse(String spec) {
    String[] parts = spec.split(":", 3);
    switch (parts[0]) {
      case "fashion-mnist":
        return new DatasetSpec(
            "fashion-mnist",
            parts.length > 1 ? Path.of(parts[1]) : IdxReader.FASHION_MNIST_DIR,
            null);
      case "cifar10":
      case "folder":
        if (parts.length < 2) {
          throw new IllegalArgumentException("--data " + parts[0] + ":<dir> needs a folder");
        }
        return new DatasetSpec(parts[0], Path.of(spec.substring(parts[0].length() + 1)), null);
      case "index":
        if (parts.length < 3) {
          throw new IllegalArgumentException("--data index:<index-root>:<model-version>");
        }
        return new DatasetSpec("index", Path.of(parts[1]), parts[2]);
      default:
        throw new IllegalArgumentException(
            "unknown --data '"
                + spec
                + "'; use fashion-mnist[:dir], cifar10:<dir>, folder:<dir> or"
                + " index:<root>:<version>");
    }
  }

  /** The natural input shape of the data, or null when any shape can be asked for. */
  public InputShape nativeShape() {
    return switch (kind) {
      case "fashion-mnist" -> new InputShape(1, 28, 28);
      case "cifar10" -> Cifar10Reader.SHAPE;
      default -> null;
    };
  }

  /** Loads at most {@code trainLimit} training and {@code testLimit} held-out images. */
  public Split load(InputShape shape, int trainLimit, int testLimit, long seed) throws IOException {
    return switch (kind) {
      case "fashion-mnist" ->
          new Split(
              IdxReader.fashionMnist(path, true, trainLimit),
              IdxReader.fashionMnist(path, false, testLimit));
      case "cifar10" ->
          new Split(
              Cifar10Reader.read(path, true, trainLimit),
              Cifar10Reader.read(path, false, testLimit));
      case "folder" ->
          holdOut(ImageFolderReader.read(path, shape, trainLimit + testLimit), testLimit, seed);
      case "index" ->
          holdOut(
              StoredImages.read(new IndexLayout(path), version, shape, trainLimit + testLimit),
              testLimit,
              seed);
      default -> throw new IllegalStateException(kind);
    };
  }

  /** Shuffles with {@code seed} and holds out 20% (at most {@code testLimit}). */
  static Split holdOut(LabelledImages all, int testLimit, long seed) {
    int n = all.size();
    int[] order = Shuffle.permutation(n, new Random(seed));
    int test = Math.min(testLimit, Math.max(1, n / 5));
    return new Split(subset(all, order, test, n), subset(all, order, 0, test));
  }

  static LabelledImages subset(LabelledImages all, int[] order, int from, int to) {
    byte[][] pixels = new byte[to - from][];
    int[] labels = new int[to - from];
    for (int i = from; i < to; i++) {
      pixels[i - from] = all.pixels()[order[i]];
      labels[i - from] = all.labels()[order[i]];
    }
    return new LabelledImages(all.shape(), pixels, labels);
  }
}
