package io.pixelstream.core.data;

import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.StoredImages;
import io.pixelstream.core.model.InputShape;
import java.io.IOException;
import java.nio.file.Files;
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
 *   <li>{@code index:<index-root>:<model-version>}: the images stored in the live index; the
 *       version {@value #SERVING} reads the version the index serves now (its {@code
 *       serving.json}), what a periodic trainer wants
 * </ul>
 *
 * Fashion-MNIST, and CIFAR-10 when the folder has {@code test_batch.bin}, bring their own test
 * split. Otherwise a fifth of the images is held out: the first fifth of a permutation with {@link
 * #SPLIT_SEED}, whatever the training seed or limits, so {@code train}, {@code evaluate} and {@code
 * promote} on the same data see the same held-out images and training never sees them.
 */
public record DatasetSpec(String kind, Path path, String version) {

  /** The model version of {@code index:<root>:serving}: whichever version is served. */
  public static final String SERVING = "serving";

  /** Seed of the permutation that carves the held-out split. */
  public static final long SPLIT_SEED = 42;

  /**
   * Training and held-out images.
   *
   * @param heldOut where the held-out images come from, in words (for the report and manifest)
   */
  public record Split(LabelledImages train, LabelledImages test, String heldOut) {}

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

  /**
   * Loads at most {@code trainLimit} training and {@code testLimit} held-out images. A carved
   * held-out split is read whole (but for the live index, which reads {@code trainLimit +
   * testLimit} images), so a smaller limit takes a prefix of the same held-out images.
   */
  public Split load(InputShape shape, int trainLimit, int testLimit) throws IOException {
    return switch (kind) {
      case "fashion-mnist" ->
          new Split(
              IdxReader.fashionMnist(path, true, trainLimit),
              IdxReader.fashionMnist(path, false, testLimit),
              "the Fashion-MNIST test set");
      case "cifar10" ->
          Files.exists(path.resolve(Cifar10Reader.TEST_FILE))
              ? new Split(
                  Cifar10Reader.read(path, true, trainLimit),
                  Cifar10Reader.read(path, false, testLimit),
                  Cifar10Reader.TEST_FILE)
              : holdOut(
                  Cifar10Reader.read(path, true, Integer.MAX_VALUE),
                  trainLimit,
                  testLimit,
                  "the CIFAR-10 training files");
      case "folder" ->
          holdOut(
              ImageFolderReader.read(path, shape, Integer.MAX_VALUE),
              trainLimit,
              testLimit,
              "the folder's images");
      case "index" ->
          holdOut(
              StoredImages.read(
                  new IndexLayout(path), indexVersion(), shape, trainLimit + testLimit),
              trainLimit,
              testLimit,
              "the images read from the index");
      default -> throw new IllegalStateException(kind);
    };
  }

  /** The {@code index:} version to read: the one named, or the served one for {@value #SERVING}. */
  private String indexVersion() throws IOException {
    if (!version.equals(SERVING)) {
      return version;
    }
    return new ServingAlias(path)
        .read()
        .map(ServingAlias.State::version)
        .orElseThrow(
            () -> new IOException("index " + path + " serves no version yet (no serving.json)"));
  }

  /**
   * Permutes {@code all} with {@link #SPLIT_SEED}; the first fifth is held out (at most {@code
   * testLimit} of it returned), at most {@code trainLimit} of the rest train.
   */
  static Split holdOut(LabelledImages all, int trainLimit, int testLimit, String source) {
    int n = all.size();
    int[] order = Shuffle.permutation(n, new Random(SPLIT_SEED));
    int heldOut = Math.max(1, n / 5);
    int test = Math.min(testLimit, heldOut);
    int train = Math.min(trainLimit, n - heldOut);
    String described =
        String.format(
            "%d of the %d images of %s (the first fifth of a permutation with seed %d)%s",
            heldOut,
            n,
            source,
            SPLIT_SEED,
            test < heldOut ? ", the first " + test + " of them evaluated" : "");
    return new Split(
        subset(all, order, heldOut, heldOut + train), subset(all, order, 0, test), described);
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
