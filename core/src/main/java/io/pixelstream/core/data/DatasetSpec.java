package io.pixelstream.core.data;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.index.StoredImages;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ResizeMode;
import io.pixelstream.core.search.LuceneIndexBackend;
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
 *   <li>{@code index:<index-root>:<model-version>}: the images stored in the live index's shards;
 *       the version {@code serving} reads the version the index serves now, what a periodic trainer
 *       wants
 *   <li>{@code solr:<zk-hosts or Solr URLs>} or {@code solr:<...>#<model-version>}: the images
 *       stored in a SolrCloud index (the served version unless one is named); read with {@link
 *       #load(InputShape, int, int, IndexBackend)} and a SolrCloud backend, which a program with
 *       the index-solr module opens (the trainer does)
 * </ul>
 *
 * Fashion-MNIST, and CIFAR-10 when the folder has {@code test_batch.bin}, bring their own test
 * split. Otherwise a fifth of the images is held out: the first fifth of a permutation with {@link
 * #SPLIT_SEED}, whatever the training seed or limits, so {@code train}, {@code evaluate} and {@code
 * promote} on the same data see the same held-out images and training never sees them.
 */
public record DatasetSpec(String kind, Path path, String version, String solr) {

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
            null,
            null);
      case "cifar10":
      case "folder":
        if (parts.length < 2) {
          throw new IllegalArgumentException("--data " + parts[0] + ":<dir> needs a folder");
        }
        return new DatasetSpec(
            parts[0], Path.of(spec.substring(parts[0].length() + 1)), null, null);
      case "index":
        if (parts.length < 3) {
          throw new IllegalArgumentException("--data index:<index-root>:<model-version>");
        }
        return new DatasetSpec("index", Path.of(parts[1]), parts[2], null);
      case "solr":
        {
          String rest = spec.substring("solr:".length());
          int hash = rest.lastIndexOf('#');
          String connect = hash < 0 ? rest : rest.substring(0, hash);
          if (connect.isBlank()) {
            throw new IllegalArgumentException(
                "--data solr:<zk hosts or Solr URLs>[#<model-version>] needs a SolrCloud");
          }
          return new DatasetSpec(
              "solr", null, hash < 0 ? StoredImages.SERVING : rest.substring(hash + 1), connect);
        }
      default:
        throw new IllegalArgumentException(
            "unknown --data '"
                + spec
                + "'; use fashion-mnist[:dir], cifar10:<dir>, folder:<dir>,"
                + " index:<root>:<version> or solr:<zk hosts>[#<version>]");
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
   * Loads at most {@code trainLimit} training and {@code testLimit} held-out images, as {@code
   * shape} takes them (resized and converted between grey and RGB where the data's own shape
   * differs, see {@link LabelledImages#as}). A carved held-out split is read whole (but for the
   * live index, which reads {@code trainLimit + testLimit} images), so a smaller limit takes a
   * prefix of the same held-out images.
   */
  public Split load(InputShape shape, int trainLimit, int testLimit) throws IOException {
    return load(shape, ResizeMode.STRETCH, trainLimit, testLimit);
  }

  /** {@link #load(InputShape, int, int)}, resized as {@code resize} says. */
  public Split load(InputShape shape, ResizeMode resize, int trainLimit, int testLimit)
      throws IOException {
    Split split = loadNative(shape, resize, trainLimit, testLimit);
    return new Split(
        split.train().as(shape, resize), split.test().as(shape, resize), split.heldOut());
  }

  private Split loadNative(InputShape shape, ResizeMode resize, int trainLimit, int testLimit)
      throws IOException {
    if (kind.equals("solr")) {
      throw new IllegalStateException(
          "solr: data is read through a SolrCloud backend: load(shape, train, test, backend)");
    }
    if (kind.equals("index")) {
      try (IndexBackend shards = new LuceneIndexBackend(path)) {
        return load(shape, resize, trainLimit, testLimit, shards);
      }
    }
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
              ImageFolderReader.read(path, shape, resize, Integer.MAX_VALUE),
              trainLimit,
              testLimit,
              "the folder's images");
      default -> throw new IllegalStateException(kind);
    };
  }

  /**
   * Loads {@code index:} or {@code solr:} data: up to {@code trainLimit + testLimit} images stored
   * in {@code backend}, a fifth held out.
   */
  public Split load(InputShape shape, int trainLimit, int testLimit, IndexBackend backend)
      throws IOException {
    return load(shape, ResizeMode.STRETCH, trainLimit, testLimit, backend);
  }

  /** {@link #load(InputShape, int, int, IndexBackend)}, resized as {@code resize} says. */
  public Split load(
      InputShape shape, ResizeMode resize, int trainLimit, int testLimit, IndexBackend backend)
      throws IOException {
    if (!kind.equals("index") && !kind.equals("solr")) {
      throw new IllegalStateException(kind + " data is not read from an index");
    }
    return holdOut(
        StoredImages.read(backend, version, shape, resize, trainLimit + testLimit),
        trainLimit,
        testLimit,
        "the images read from the index");
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
