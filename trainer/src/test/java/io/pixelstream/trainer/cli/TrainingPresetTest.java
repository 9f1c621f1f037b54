package io.pixelstream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.cli.CliArgs;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingPresetTest {

  private static final Set<String> KNOWN =
      Set.of("preset", "variant", "epochs", "contrast-weight", "turn-weight", "stop-on");

  private static CliArgs applied(String... args) {
    return TrainingPreset.apply(CliArgs.parse(args, KNOWN));
  }

  @Test
  void theVanillaColourPresetTrainsTheVanillaVariantWithBothLabelFreeLosses() {
    CliArgs cli = applied("--preset", "colour-photos-vanilla");

    assertThat(cli.get("variant", null)).isEqualTo("vanilla");
    assertThat(cli.get("turn-weight", null)).isEqualTo("1");
    assertThat(cli.get("contrast-weight", null)).isEqualTo("1");
    assertThat(cli.get("augment", null)).isEqualTo("true");
    assertThat(cli.get("stop-on", null)).isEqualTo("loss");
  }

  @Test
  void anOptionGivenOnTheCommandLineWinsOverThePresets() {
    CliArgs cli = applied("--preset", "colour-photos-vanilla", "--epochs", "3", "--stop-on", "nmi");

    assertThat(cli.get("epochs", null)).isEqualTo("3");
    assertThat(cli.get("stop-on", null)).isEqualTo("nmi");
    assertThat(applied("--preset", "colour-photos").get("stop-on", null)).isEqualTo("nmi");
  }

  @Test
  void withoutAPresetNothingIsAdded() {
    assertThat(applied("--epochs", "3").asMap()).containsOnlyKeys("epochs");
  }

  @Test
  void anUnknownPresetNamesTheKnownOnes() {
    assertThatThrownBy(() -> applied("--preset", "photos"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("colour-photos or colour-photos-vanilla");
  }
}
