package io.pixelstream.core.fresh;

import static io.pixelstream.core.fresh.FreshImageCodecTest.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.search.SearchResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;

class FreshImagesTest {

  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void keepsTheNewestRecordOfAnId() {
    FreshImages fresh = new FreshImages(10, 60_000, now::get);
    assertThat(fresh.accept(image("a", 5, 1, 0))).isTrue();
    assertThat(fresh.accept(image("a", 3, 2, 0))).as("an older offset, e.g. a replay").isFalse();
    assertThat(fresh.get("v1", "a").orElseThrow().offset()).isEqualTo(5);
    assertThat(fresh.accept(FreshImage.tombstone("a", 0, "images-0", 6, 0))).isTrue();
    assertThat(fresh.get("v1", "a").orElseThrow().deleted()).isTrue();
    assertThat(fresh.get("v2", "a")).as("a tombstone hides the id in every version").isPresent();
    assertThat(fresh.size()).isEqualTo(1);
  }

  @Test
  void evictsWhatTheShardsVisibleCommitHolds() {
    FreshImages fresh = new FreshImages(10, 60_000, now::get);
    fresh.accept(image("a", 4, 1, 0));
    fresh.accept(image("b", 5, 1, 0));
    fresh.accept(image("c", 6, 1, 0));
    assertThat(fresh.evict(Map.of(1, Map.of("images-0", 9L)))).as("another shard").isZero();
    assertThat(fresh.evict(Map.of(0, Map.of("images-1", 9L)))).as("another source").isZero();
    assertThat(fresh.evict(Map.of(0, Map.of("images-0", 5L)))).isEqualTo(2);
    assertThat(fresh.get("v1", "b")).isEmpty();
    assertThat(fresh.get("v1", "c")).isPresent();
    fresh.accept(image("c", 7, 2, 0)); // c again, later
    assertThat(fresh.evict(Map.of(0, Map.of("images-0", 6L))))
        .as("the commit holds c's first record only")
        .isZero();
    assertThat(fresh.get("v1", "c").orElseThrow().offset()).isEqualTo(7);
    assertThat(fresh.evict(Map.of(0, Map.of("images-0", 7L)))).isEqualTo(1);
    assertThat(fresh.size()).isZero();
  }

  @Test
  void dropsTheOldestArrivalsForRoomAndAge() {
    FreshImages fresh = new FreshImages(2, 1_000, now::get);
    fresh.accept(image("a", 1, 1, 0));
    fresh.accept(image("b", 2, 1, 0));
    fresh.accept(image("c", 3, 1, 0));
    assertThat(fresh.get("v1", "a")).isEmpty();
    assertThat(fresh.size()).isEqualTo(2);
    now.addAndGet(1_001);
    assertThat(fresh.dropped()).isEqualTo(1);
    assertThat(fresh.evict(Map.of())).as("no commit holds them").isZero();
    assertThat(fresh.size()).as("too old").isZero();
    assertThat(fresh.dropped()).isEqualTo(3);
  }

  @Test
  void searchesShareAViewUntilWhatIsHeldChanges() {
    FreshImages fresh = new FreshImages(2, 1_000, now::get);
    fresh.accept(image("a", 1, 1, 0));
    fresh.accept(FreshImage.tombstone("b", 0, "images-0", 2, 0));
    FreshImages.View first = fresh.view("v1");
    assertThat(first.ids()).containsExactlyInAnyOrder("a", "b");
    assertThat(first.live()).extracting(FreshImage::id).containsExactly("a");
    assertThat(fresh.view("v1")).as("nothing changed").isSameAs(first);
    assertThat(fresh.view("v2").live()).as("another version's").isEmpty();

    assertThat(fresh.acceptAll(List.of(image("c", 3, 1, 0), image("c", 2, 1, 0))))
        .as("one poll's records; c's older one is not held")
        .isEqualTo(1);
    assertThat(fresh.view("v1").ids()).as("a leaves for room").containsExactlyInAnyOrder("b", "c");
    assertThat(fresh.evict(Map.of(0, Map.of("images-0", 2L)))).isEqualTo(1);
    assertThat(fresh.view("v1").ids()).containsExactly("c");
    now.addAndGet(1_001);
    fresh.evict(Map.of());
    assertThat(fresh.view("v1").ids()).as("too old").isEmpty();
    assertThat(first.ids()).as("a view taken earlier stays as it was").hasSize(2);
  }

  @Test
  void searchRanksByLuceneScoresAfterTheFilters() {
    List<FreshImage> images =
        List.of(image("a", 1, 0.0f, 0), image("b", 2, 1.0f, 1), image("c", 3, 3.0f, 2));
    float[] query = {0.9f, 0};
    List<SearchResult.Hit> hits =
        FreshImages.search(images, query, 2, null, null, false, VectorSimilarityFunction.EUCLIDEAN);
    assertThat(hits).extracting(SearchResult.Hit::id).containsExactly("b", "a");
    assertThat(hits.get(0).score())
        .isEqualTo(VectorSimilarityFunction.EUCLIDEAN.compare(query, new float[] {1, 0}));
    assertThat(
            FreshImages.search(
                images, query, 5, 2, null, false, VectorSimilarityFunction.EUCLIDEAN))
        .extracting(SearchResult.Hit::id)
        .containsExactly("c");
    assertThat(
            FreshImages.search(
                images, query, 5, null, 7, false, VectorSimilarityFunction.EUCLIDEAN))
        .as("label 7 is on even clusters")
        .extracting(SearchResult.Hit::id)
        .containsExactly("a", "c");
  }
}
