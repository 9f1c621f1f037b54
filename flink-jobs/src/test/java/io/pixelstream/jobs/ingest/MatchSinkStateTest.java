package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatchSinkStateTest {

  private final MatchSinkState.Serializer serializer = new MatchSinkState.Serializer();

  @Test
  void roundTripsOffsetsAndPendingIdentities() throws IOException {
    MatchSinkState state =
        new MatchSinkState(Map.of(0, 12L, 1, 7L), Set.of("w|images|0|5", "w2|images|1|9"));
    assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state)))
        .isEqualTo(state);
    MatchSinkState empty = new MatchSinkState(Map.of(), Set.of());
    assertThat(serializer.deserialize(1, serializer.serialize(empty))).isEqualTo(empty);
  }

  @Test
  void mergeReadsBackFromTheLowestOffsetAndKeepsEveryPendingIdentity() {
    MatchSinkState a = new MatchSinkState(Map.of(0, 12L, 1, 7L), Set.of("x"));
    MatchSinkState b = new MatchSinkState(Map.of(0, 10L, 2, 3L), Set.of("y"));
    assertThat(MatchSinkState.merge(List.of(a, b)))
        .isEqualTo(new MatchSinkState(Map.of(0, 10L, 1, 7L, 2, 3L), Set.of("x", "y")));
  }

  @Test
  void refusesAnUnknownVersion() {
    assertThatThrownBy(() -> serializer.deserialize(2, new byte[0]))
        .hasMessageContaining("version 2");
  }
}
