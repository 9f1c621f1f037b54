package io.pixelstream.core.data;

import io.pixelstream.core.model.InputShape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CIFAR-10's binary version: records of 1 label byte then 3,072 pixel bytes (1,024 red, 1,024
 * green, 1,024 blue, rows of 32), i.e. already CHW. Training files {@code data_batch_1..5.bin},
 * test file {@code test_batch.bin}.
 */
public final class Cifar10Reader {

  public static final InputShape SHAPE = new InputShape(3, 32, 32);

  /** The test split's file name. */
  public static final String TEST_FILE = "test_batch.bin";

  private static final int RECORD = 1 + 3 * 32 * 32;

  private Cifar10Reader() {}

  /**
   * The training ({@code data_batch_*.bin}) or test ({@code test_batch.bin}) split in {@code dir}.
   */
  public static LabelledImages read(Path dir, boolean train, int limit) throws IOException {
    List<Path> files = new ArrayList<>();
    if (train) {
      for (int i = 1; i <= 5; i++) {
        Path f = dir.resolve("data_batch_" + i + ".bin");
        if (Files.exists(f)) {
          files.add(f);
        }
      }
      if (files.isEmpty()) {
        throw new NoSuchFileException(
            dir.resolve("data_batch_1.bin").toString(),
            null,
            "no CIFAR-10 training files (data_batch_1..5.bin) in " + dir);
      }
    } else {
      files.add(dir.resolve(TEST_FILE));
    }
    return read(files, limit);
  }

  /** Reads up to {@code limit} records from {@code files}, in order. */
  public static LabelledImages read(List<Path> files, int limit) throws IOException {
    List<byte[]> pixels = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(f.toString(), null, "CIFAR-10 binary file missing");
      }
      long size = Files.size(f);
      if (size % RECORD != 0) {
        throw new IOException(
            f + " is " + size + " bytes, not a multiple of the CIFAR-10 record (" + RECORD + ")");
      }
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
        while (labels.size() < limit) {
          int label;
          try {
            label = in.readUnsignedByte();
          } catch (EOFException end) {
            break;
          }
          if (label > 9) {
            throw new IOException(
                f
                    + " has label "
                    + label
                    + " at record "
                    + labels.size()
                    + "; CIFAR-10 labels are 0..9");
          }
          byte[] p = new byte[RECORD - 1];
          in.readFully(p);
          labels.add(label);
          pixels.add(p);
        }
      }
    }
    return new LabelledImages(
        SHAPE,
        pixels.toArray(byte[][]::new),
        labels.stream().mapToInt(Integer::intValue).toArray());
  }
}
