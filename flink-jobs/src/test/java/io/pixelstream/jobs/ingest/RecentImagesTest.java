package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;

class RecentImagesTest {

  private static final VectorSimilarityFunction EUCLIDEAN = VectorSimilarityFunction.EUCLIDEAN;

  @Test
  void findsTheClosestOtherImageAmongTheLastOnesOnly() {
    RecentImages recent = new RecentImages(2);
    assertThat(recent.best("q", new float[] {0, 0}, EUCLIDEAN)).isNull();
    recent.add("a", new float[] {1, 0});
    recent.add("b", new float[] {3, 0});
    assertThat(recent.best("q", new float[] {0, 0}, EUCLIDEAN).id()).isEqualTo("a");
    assertThat(recent.best("a", new float[] {1, 0}, EUCLIDEAN).id())
        .as("not the image itself")
        .isEqualTo("b");
    recent.add("c", new float[] {4, 0}); // a falls out
    RecentImages.Best best = recent.best("q", new float[] {0, 0}, EUCLIDEAN);
    assertThat(best.id()).isEqualTo("b");
    assertThat(best.score()).isEqualTo(EUCLIDEAN.compare(new float[] {0, 0}, new float[] {3, 0}));
    recent.clear();
    assertThat(recent.best("q", new float[] {0, 0}, EUCLIDEAN)).isNull();
  }
}
