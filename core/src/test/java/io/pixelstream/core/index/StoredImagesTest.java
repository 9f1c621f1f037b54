package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.InputShape;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredImagesTest {

  @Test
  void readsTheCommittedImagesOfEveryShardWithTheirLabels(@TempDir Path root) throws Exception {
    IndexLayout layout = new IndexLayout(root);
    byte[][] pixels = new byte[4][];
    for (int shard = 0; shard < 2; shard++) {
      try (ShardWriter w =
          ShardWriter.open(
              layout.shardDir("v1", shard),
              VectorSimilarityFunction.EUCLIDEAN,
              HnswOptions.DEFAULT,
              16,
              0)) {
        for (int i = 0; i < 2; i++) {
          int n = shard * 2 + i;
          pixels[n] = TestImages.randomPixels(1, 28, 28, n);
          w.upsert(
              new IndexedImage(
                  "id-" + n,
                  new float[] {n, 0},
                  0,
                  n == 3 ? null : n,
                  null,
                  "v1",
                  1,
                  1,
                  ImageEncoding.png(pixels[n], 1, 28, 28)));
        }
        w.commit(Map.of());
      }
    }
    LabelledImages read = StoredImages.read(layout, "v1", new InputShape(1, 28, 28), 10);
    assertThat(read.size()).isEqualTo(4);
    assertThat(read.labels()).containsExactlyInAnyOrder(0, 1, 2, StoredImages.NO_LABEL);
    for (int i = 0; i < 4; i++) {
      int label = read.labels()[i];
      byte[] expected = pixels[label == StoredImages.NO_LABEL ? 3 : label];
      assertThat(read.pixels()[i]).isEqualTo(expected);
    }
    assertThat(StoredImages.read(layout, "v1", new InputShape(1, 28, 28), 3).size()).isEqualTo(3);
    assertThatThrownBy(() -> StoredImages.read(layout, "v2", new InputShape(1, 28, 28), 3))
        .hasMessageContaining("no stored images");
  }
}
