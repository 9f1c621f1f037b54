package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.index.CommitOffsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourcePositionTest {

  @Test
  void serializerRoundTrips() throws Exception {
    SourcePosition p = new SourcePosition(Map.of("images-0", 41L, "images-1", 7L));
    SourcePosition.Serializer s = new SourcePosition.Serializer();
    assertThat(s.deserialize(s.getVersion(), s.serialize(p))).isEqualTo(p);
    assertThatThrownBy(() -> s.deserialize(99, s.serialize(p))).hasMessageContaining("version 99");
  }

  @Test
  void mergeKeepsTheHighestOffsetPerPartition() {
    Map<String, Long> merged =
        SourcePosition.merge(
            List.of(
                new SourcePosition(Map.of("images-0", 41L, "images-1", 7L)),
                new SourcePosition(Map.of("images-0", 12L, "images-2", 3L))));
    assertThat(merged).isEqualTo(Map.of("images-0", 41L, "images-1", 7L, "images-2", 3L));
    assertThat(CommitOffsets.format(merged)).isEqualTo("images-0=41,images-1=7,images-2=3");
  }
}
