package io.pixelstream.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  static void writeIdx(Path images, Path labels, byte[][] pixels, int[] y, int rows, int cols)
      throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
      out.writeInt(0x803);
      out.writeInt(pixels.length);
      out.writeInt(rows);
      out.writeInt(cols);
      for (byte[] p : pixels) {
        out.write(p);
      }
    }
    try (DataOutputStream out =
        new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(labels)))) {
      out.writeInt(0x801);
      out.writeInt(y.length);
      for (int v : y) {
        out.writeByte(v);
      }
    }
  }

  @Test
  void readsImagesAndLabelsUpToTheLimit(@TempDir Path dir) throws IOException {
    byte[][] pixels = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}, {0, 0, 0, 0, 0, (byte) 255}};
    writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), pixels, new int[] {3, 9, 0}, 2, 3);
    LabelledImages read = IdxReader.read(dir.resolve("i.gz"), dir.resolve("l.gz"), 2);
    assertThat(read.size()).isEqualTo(2);
    assertThat(read.shape().height()).isEqualTo(2);
    assertThat(read.shape().width()).isEqualTo(3);
    assertThat(read.pixels()[1]).isEqualTo(pixels[1]);
    assertThat(read.labels()).containsExactly(3, 9);
  }

  @Test
  void missingFilesSayHowToGetThem(@TempDir Path dir) {
    assertThatThrownBy(() -> IdxReader.fashionMnist(dir, false, 10))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("dataset-fashion-mnist");
  }

  @Test
  void swappedFilesAreRefused(@TempDir Path dir) throws IOException {
    writeIdx(dir.resolve("i.gz"), dir.resolve("l.gz"), new byte[][] {{1}}, new int[] {1}, 1, 1);
    assertThatThrownBy(() -> IdxReader.read(dir.resolve("l.gz"), dir.resolve("i.gz"), 1))
        .hasMessageContaining("bad magic");
  }
}
