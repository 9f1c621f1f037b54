package io.pixelstream.solr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyStateTest {

  @Test
  void roundTripsThroughItsAliasProperty() {
    CopyState state = new CopyState("model-a", 3, "AoE/ZmFzaGlvbg==", 1234, false);
    assertThat(CopyState.parse(state.format())).contains(state);
    assertThat(CopyState.key("model-b", 1)).isEqualTo("copy.model-b.1");
    assertThat(CopyState.key("model-b", 1)).startsWith(CopyState.prefix("model-b"));
  }

  @Test
  void anUnreadableOrRemovedStateStartsTheCopyOver() {
    assertThat(CopyState.parse(null)).isEmpty();
    assertThat(CopyState.parse("")).isEmpty();
    assertThat(CopyState.parse("model-a x 1 true *")).isEmpty();
  }
}
