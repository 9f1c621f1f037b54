package io.pixelstream.core.fresh;

import static io.pixelstream.core.fresh.FreshImageCodecTest.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.search.LucenePinnedVersion;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay over a real Lucene shard of version v1. */
class FreshOverlayTest {

  @TempDir Path root;

  private static IndexedImage indexed(String id, float x) {
    return new IndexedImage(id, new float[] {x, 0}, 0, null, null, "v1", 1L, 1L, new byte[] {42});
  }

  private static SearchRequest top(int k) {
    return new SearchRequest(k, SearchMode.EXACT, null, null, 30);
  }

  private static java.util.List<String> ids(SearchResult r) {
    return r.hits().stream().map(SearchResult.Hit::id).toList();
  }

  @Test
  void heldImagesAnswerUntilTheirShardPublishesThem() throws Exception {
    FreshImages fresh = new FreshImages(100, 60_000);
    try (ShardWriter shard =
            ShardWriter.open(
                new IndexLayout(root).shardDir("v1", 0),
                VectorSimilarityFunction.EUCLIDEAN,
                HnswOptions.DEFAULT,
                16,
                0);
        FreshOverlay overlay =
            new FreshOverlay(LucenePinnedVersion.open(root, "v1"), fresh, "EUCLIDEAN")) {
      shard.upsert(indexed("old", 0));
      shard.upsert(indexed("gone", 0.5f));
      shard.upsert(indexed("moved", 0.2f));
      shard.commit(Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=3"));
      overlay.refresh();

      fresh.accept(image("new", 4, 1.0f, 0));
      fresh.accept(image("moved", 5, 3.0f, 0)); // a newer image of an indexed id
      fresh.accept(FreshImage.tombstone("gone", 0, "images-0", 6, 0));

      assertThat(overlay.image("new")).get().isEqualTo(new byte[] {4, 2, 3});
      assertThat(overlay.image("gone")).isEmpty();
      assertThat(overlay.image("old")).get().isEqualTo(new byte[] {42});
      assertThat(ids(overlay.search(new float[] {0.9f, 0}, top(3), null)))
          .containsExactly("new", "old", "moved");
      assertThat(ids(overlay.search(new float[] {0, 0}, top(2), null)))
          .as("the index's top 2 were old and moved (replaced): it is asked again")
          .containsExactly("old", "new");
      assertThat(ids(overlay.searchById("moved", top(1), null).orElseThrow()))
          .containsExactly("moved");
      assertThat(overlay.searchById("gone", top(1), null)).isEmpty();

      shard.upsert(indexed("new", 1.0f));
      shard.publish(Map.of(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=4"));
      assertThat(overlay.refresh()).isTrue();
      assertThat(fresh.size()).as("new is in the index now; moved and gone are not").isEqualTo(2);
      assertThat(ids(overlay.search(new float[] {0.9f, 0}, top(4), null)))
          .as("no id twice")
          .containsExactly("new", "old", "moved");
    }
  }
}
