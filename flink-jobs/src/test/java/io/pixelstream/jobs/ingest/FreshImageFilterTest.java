package io.pixelstream.jobs.ingest;

import static io.pixelstream.jobs.ingest.FreshImageSerializerTest.embedded;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FreshImageFilterTest {

  private final FreshImageFilter filter = new FreshImageFilter(1_000);

  @Test
  void passesAnImageEmbeddedInTimeAndSkipsALateOne() {
    ImageEvent onTime = embedded("a");
    onTime.eventTime = System.currentTimeMillis() - 100;
    assertThat(filter.filter(onTime)).isTrue();
    ImageEvent late = embedded("b");
    late.eventTime = System.currentTimeMillis() - 60_000;
    assertThat(filter.filter(late)).as("a backlog: left to the shard's publish").isFalse();
  }

  @Test
  void passesEveryDeleteAndNoIncompleteImage() {
    ImageEvent delete = new ImageEvent();
    delete.id = "c";
    delete.deleted = true;
    delete.eventTime = 0;
    assertThat(filter.filter(delete)).as("however late").isTrue();
    ImageEvent noVector = embedded("d");
    noVector.eventTime = System.currentTimeMillis();
    noVector.vector = null;
    assertThat(filter.filter(noVector)).isFalse();
  }
}
