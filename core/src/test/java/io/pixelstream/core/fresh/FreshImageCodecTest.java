package io.pixelstream.core.fresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreshImageCodecTest {

  static FreshImage image(String id, long offset, float x, int cluster) {
    return new FreshImage(
        id,
        false,
        "v1",
        0,
        "images-0",
        offset,
        1_000L + offset,
        new float[] {x, 0},
        cluster,
        cluster % 2 == 0 ? 7 : null,
        null,
        new byte[] {(byte) offset, 2, 3});
  }

  @Test
  void anImageSurvivesTheRoundTrip() {
    FreshImage in =
        new FreshImage(
            "a/1",
            false,
            "v9",
            3,
            "my-topic-2",
            41,
            5,
            new float[] {0.5f, -1},
            4,
            2,
            "b",
            new byte[] {9});
    FreshImage out = FreshImageCodec.decode(FreshImageCodec.encode(in));
    assertThat(out).usingRecursiveComparison().ignoringFields("vector", "image").isEqualTo(in);
    assertThat(out.vector()).containsExactly(0.5f, -1f);
    assertThat(out.image()).containsExactly(9);
  }

  @Test
  void aTombstoneSurvivesTheRoundTrip() {
    FreshImage out =
        FreshImageCodec.decode(FreshImageCodec.encode(FreshImage.tombstone("x", 1, "t-0", 8, 9)));
    assertThat(out.deleted()).isTrue();
    assertThat(out.modelVersion()).isNull();
    assertThat(out.id()).isEqualTo("x");
    assertThat(out.offset()).isEqualTo(8);
    assertThat(out.appliesTo("any")).isTrue();
  }

  @Test
  void badBytesAreRefusedByName() {
    byte[] good = FreshImageCodec.encode(image("a", 1, 0, 0));
    assertThatThrownBy(() -> FreshImageCodec.decode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    byte[] otherFormat = good.clone();
    otherFormat[0] = 9;
    assertThatThrownBy(() -> FreshImageCodec.decode(otherFormat))
        .hasMessageContaining("unknown format 9");
    assertThatThrownBy(() -> FreshImageCodec.decode(Arrays.copyOf(good, good.length - 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> FreshImageCodec.decode(Arrays.copyOf(good, good.length + 1)))
        .hasMessageContaining("trailing");
  }
}
