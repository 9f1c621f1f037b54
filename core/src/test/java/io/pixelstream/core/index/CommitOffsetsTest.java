package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitOffsetsTest {

  @Test
  void formatsSortedAndParsesBack() {
    Map<String, Long> offsets = Map.of("images-1", 7L, "my-topic-0", 41L);
    String text = CommitOffsets.format(offsets);
    assertThat(text).isEqualTo("images-1=7,my-topic-0=41");
    assertThat(CommitOffsets.parse(text)).isEqualTo(offsets);
    assertThat(CommitOffsets.parse(null)).isEmpty();
    assertThat(CommitOffsets.parse("")).isEmpty();
  }

  @Test
  void refusesAPairWithoutAnOffset() {
    assertThatThrownBy(() -> CommitOffsets.parse("images-0=4,images-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'images-1'");
    assertThatThrownBy(() -> CommitOffsets.parse("images-0=x"))
        .hasMessageContaining("'images-0=x'");
  }
}
