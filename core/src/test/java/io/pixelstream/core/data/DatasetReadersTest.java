package io.pixelstream.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.InputShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReadersTest {

  @Test
  void readsCifar10BinaryRecords(@TempDir Path dir) throws Exception {
    byte[] file = new byte[3 * 3073];
    for (int r = 0; r < 3; r++) {
      file[r * 3073] = (byte) (r + 4);
      byte[] pixels = TestImages.randomPixels(3, 32, 32, r);
      System.arraycopy(pixels, 0, file, r * 3073 + 1, 3072);
    }
    Files.write(dir.resolve("test_batch.bin"), file);
    LabelledImages read = Cifar10Reader.read(dir, false, 10);
    assertThat(read.labels()).containsExactly(4, 5, 6);
    assertThat(read.pixels()[2]).isEqualTo(TestImages.randomPixels(3, 32, 32, 2));
    assertThat(read.shape()).isEqualTo(new InputShape(3, 32, 32));

    Files.write(dir.resolve("test_batch.bin"), new byte[100]);
    assertThatThrownBy(() -> Cifar10Reader.read(dir, false, 10)).hasMessageContaining("multiple");
    assertThatThrownBy(() -> Cifar10Reader.read(dir, true, 10)).hasMessageContaining("data_batch");
  }

  @Test
  void carvesOneHeldOutSplitFromCifar10TrainingFilesWhateverTheLimits(@TempDir Path dir)
      throws Exception {
    byte[] file = new byte[50 * 3073];
    for (int r = 0; r < 50; r++) {
      file[r * 3073] = (byte) (r % 10);
      file[r * 3073 + 1] = (byte) r; // the record's number in its first pixel
    }
    Files.write(dir.resolve("data_batch_1.bin"), file);
    DatasetSpec spec = DatasetSpec.parse("cifar10:" + dir);

    DatasetSpec.Split training = spec.load(Cifar10Reader.SHAPE, 1000, 1000);
    DatasetSpec.Split evaluation = spec.load(Cifar10Reader.SHAPE, 0, 1000);
    DatasetSpec.Split fewer = spec.load(Cifar10Reader.SHAPE, 7, 4);

    assertThat(firstPixels(training.test())).hasSize(10).isEqualTo(firstPixels(evaluation.test()));
    assertThat(firstPixels(training.train()))
        .hasSize(40)
        .doesNotContainAnyElementsOf(firstPixels(training.test()));
    assertThat(firstPixels(fewer.test()))
        .containsExactlyElementsOf(firstPixels(training.test()).subList(0, 4));
    assertThat(firstPixels(fewer.train()))
        .containsExactlyElementsOf(firstPixels(training.train()).subList(0, 7));
    assertThat(training.heldOut())
        .isEqualTo(
            "10 of the 50 images of the CIFAR-10 training files (the first fifth of a"
                + " permutation with seed 42)");
    assertThat(fewer.heldOut()).endsWith(", the first 4 of them evaluated");

    Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(file, 3 * 3073));
    DatasetSpec.Split own = spec.load(Cifar10Reader.SHAPE, 1000, 1000);
    assertThat(own.train().size()).isEqualTo(50);
    assertThat(firstPixels(own.test())).containsExactly(0, 1, 2);
    assertThat(own.heldOut()).isEqualTo("test_batch.bin");
  }

  private static List<Integer> firstPixels(LabelledImages images) {
    return Arrays.stream(images.pixels()).map(p -> (int) p[0]).toList();
  }

  @Test
  void readsAFolderPerClass(@TempDir Path root) throws Exception {
    for (String cls : new String[] {"boots", "arcs"}) {
      Files.createDirectories(root.resolve(cls));
      for (int i = 0; i < 2; i++) {
        byte[] rgb = TestImages.randomPixels(3, 40, 40, i + cls.length());
        Files.write(root.resolve(cls).resolve(i + ".png"), ImageEncoding.png(rgb, 3, 40, 40));
      }
    }
    Files.writeString(root.resolve("boots").resolve("notes.txt"), "not an image");
    assertThat(ImageFolderReader.classes(root)).containsExactly("arcs", "boots");
    LabelledImages read = ImageFolderReader.read(root, new InputShape(1, 28, 28), 100);
    assertThat(read.labels()).containsExactly(0, 0, 1, 1);
    assertThat(read.pixels()[0]).hasSize(28 * 28);

    Files.write(
        root.resolve("arcs").resolve("broken.png"),
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4});
    assertThatThrownBy(() -> ImageFolderReader.read(root, new InputShape(1, 28, 28), 100))
        .hasMessageContaining("broken.png");
  }
}
