package io.pixelstream.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputRulesTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void acceptsIdsOfTheAllowedAlphabet() throws Exception {
    assertThat(InputRules.imageId(utf8("fmnist:test/00042.png")))
        .isEqualTo("fmnist:test/00042.png");
    assertThat(InputRules.imageId(utf8("a".repeat(256)))).hasSize(256);
  }

  @Test
  void refusesBadIds() {
    for (String bad : new String[] {"", "has space", "semi;colon", "é", "a".repeat(257)}) {
      assertThatThrownBy(() -> InputRules.imageId(utf8(bad)))
          .as(bad)
          .isInstanceOf(RejectedInputException.class)
          .extracting(e -> ((RejectedInputException) e).reason())
          .isEqualTo(RejectReason.BAD_ID);
    }
    assertThatThrownBy(() -> InputRules.imageId(null)).hasMessageContaining("no key");
    assertThatThrownBy(() -> InputRules.imageId(new byte[] {(byte) 0xC3, 0x28}))
        .hasMessageContaining("UTF-8");
  }

  @Test
  void parsesLabels() throws Exception {
    assertThat(InputRules.label(null)).isNull();
    assertThat(InputRules.label(utf8("7"))).isEqualTo(7);
    assertThat(InputRules.label(utf8(" 12 "))).isEqualTo(12);
    for (String bad : new String[] {"", "-1", "cat", "1.5", "99999999", "2000000"}) {
      assertThatThrownBy(() -> InputRules.label(utf8(bad)))
          .as(bad)
          .isInstanceOf(RejectedInputException.class)
          .extracting(e -> ((RejectedInputException) e).reason())
          .isEqualTo(RejectReason.BAD_LABEL);
    }
  }

  @Test
  void describeStartsWithTheReasonCode() {
    RejectedInputException e = new RejectedInputException(RejectReason.TOO_LARGE, "too big");
    assertThat(e.describe()).isEqualTo("TOO_LARGE: too big");
  }
}
