package io.pixelstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputShapeTest {

  @Test
  void parsesChannelsHeightWidth() {
    assertThat(InputShape.parse("3x32x24")).isEqualTo(new InputShape(3, 32, 24));
    assertThat(InputShape.parse("1x28x28").size()).isEqualTo(784);
  }

  @Test
  void refusesWhatIsNotAShape() {
    assertThatThrownBy(() -> InputShape.parse("32x32"))
        .hasMessage("an input shape is CxHxW, e.g. 3x32x32, got '32x32'");
    assertThatThrownBy(() -> InputShape.parse("3xax32")).hasMessageContaining("got '3xax32'");
    assertThatThrownBy(() -> InputShape.parse("2x32x32"))
        .hasMessageContaining("input.channels must be 1 or 3");
  }
}
