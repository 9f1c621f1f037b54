package io.pixelstream.core.data;

import io.pixelstream.core.model.InputShape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (optionally gzipped): {@code idx3-ubyte} images and {@code
 * idx1-ubyte} labels, as shipped by Debian's {@code dataset-fashion-mnist} in {@link
 * #FASHION_MNIST_DIR}.
 */
public final class IdxReader {

  /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
  public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /**
   * The Fashion-MNIST test ({@code t10k}) or training ({@code train}) split, first {@code limit}.
   */
  public static LabelledImages fashionMnist(Path dir, boolean train, int limit) throws IOException {
    String prefix = train ? "train" : "t10k";
    return read(
        dir.resolve(prefix + "-images-idx3-ubyte.gz"),
        dir.resolve(prefix + "-labels-idx1-ubyte.gz"),
        limit);
  }

  /**
   * Reads up to {@code limit} images and their labels.
   *
   * @throws NoSuchFileException with a hint to install the dataset when a file is missing
   */
  public static LabelledImages read(Path images, Path labels, int limit) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    for (Path p : new Path[] {images, labels}) {
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(
            p.toString(), null, "missing; on Debian: apt-get install dataset-fashion-mnist");
      }
    }
    try (DataInputStream img = open(images);
        DataInputStream lab = open(labels)) {
      if (img.readInt() != IMAGES_MAGIC) {
        throw new IOException(images + " is not an IDX image file (bad magic)");
      }
      if (lab.readInt() != LABELS_MAGIC) {
        throw new IOException(labels + " is not an IDX label file (bad magic)");
      }
      int count = img.readInt();
      int rows = img.readInt();
      int cols = img.readInt();
      int labelCount = lab.readInt();
      if (count != labelCount) {
        throw new IOException(count + " images but " + labelCount + " labels");
      }
      int n = Math.min(count, limit);
      byte[][] pixels = new byte[n][rows * cols];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        img.readFully(pixels[i]);
        y[i] = lab.readUnsignedByte();
      }
      return new LabelledImages(new InputShape(1, rows, cols), pixels, y);
    }
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    if (p.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new DataInputStream(in);
  }
}
