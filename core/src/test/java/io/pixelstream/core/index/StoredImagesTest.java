package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.search.LuceneIndexBackend;
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
    LabelledImages read =
        StoredImages.read(new LuceneIndexBackend(root), "v1", new InputShape(1, 28, 28), 10);
    assertThat(read.size()).isEqualTo(4);
    assertThat(read.labels()).containsExactlyInAnyOrder(0, 1, 2, StoredImages.NO_LABEL);
    for (int i = 0; i < 4; i++) {
      int label = read.labels()[i];
      byte[] expected = pixels[label == StoredImages.NO_LABEL ? 3 : label];
      assertThat(read.pixels()[i]).isEqualTo(expected);
    }
    assertThat(
            StoredImages.read(new LuceneIndexBackend(root), "v1", new InputShape(1, 28, 28), 3)
                .size())
        .isEqualTo(3);
    assertThatThrownBy(
            () ->
                StoredImages.read(new LuceneIndexBackend(root), "v2", new InputShape(1, 28, 28), 3))
        .hasMessageContaining("no stored images");
  }

  @Test
  void theIndexDatasetReadsTheServedVersionWhenAskedForServing(@TempDir Path root)
      throws Exception {
    IndexLayout layout = new IndexLayout(root);
    InputShape shape = new InputShape(1, 28, 28);
    DatasetSpec serving = DatasetSpec.parse("index:" + root + ":" + StoredImages.SERVING);
    assertThatThrownBy(() -> serving.load(shape, 10, 10)).hasMessageContaining("serves no version");
    assertThatThrownBy(() -> DatasetSpec.parse("solr:zk:2181").load(shape, 10, 10))
        .hasMessageContaining("SolrCloud backend");
    assertThat(DatasetSpec.parse("solr:zk1:2181,zk2:2181/solr#v7"))
        .isEqualTo(new DatasetSpec("solr", null, "v7", "zk1:2181,zk2:2181/solr"));
    assertThat(DatasetSpec.parse("solr:http://solr:8983/solr").version())
        .isEqualTo(StoredImages.SERVING);
    for (String version : new String[] {"v1", "v2"}) {
      int images = version.equals("v1") ? 3 : 10;
      try (ShardWriter w =
          ShardWriter.open(
              layout.shardDir(version, 0),
              VectorSimilarityFunction.EUCLIDEAN,
              HnswOptions.DEFAULT,
              16,
              0)) {
        for (int n = 0; n < images; n++) {
          byte[] png = ImageEncoding.png(TestImages.randomPixels(1, 28, 28, n), 1, 28, 28);
          w.upsert(
              new IndexedImage(
                  version + "-" + n, new float[] {n, 0}, 0, n % 2, null, version, 1, 1, png));
        }
        w.commit(Map.of());
      }
    }
    ServingAlias alias = new ServingAlias(root);
    alias.switchTo("v1");
    alias.switchTo("v2");
    DatasetSpec.Split split = serving.load(shape, 100, 100);
    assertThat(split.train().size() + split.test().size()).isEqualTo(10);
    alias.switchTo("v1");
    split = serving.load(shape, 100, 100);
    assertThat(split.train().size() + split.test().size()).isEqualTo(3);
  }
}
