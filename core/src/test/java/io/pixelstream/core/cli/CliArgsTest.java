package io.pixelstream.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.RoundingMode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliArgsTest {

  private static final Set<String> KNOWN = Set.of("n", "flag", "name");

  @Test
  void parsesValuesEqualsFormsAndBareFlags() {
    CliArgs cli = CliArgs.parse(new String[] {"--n", "7", "--name=x y", "--flag"}, KNOWN);
    assertThat(cli.getInt("n", 0)).isEqualTo(7);
    assertThat(cli.get("name", null)).isEqualTo("x y");
    assertThat(cli.getBoolean("flag", false)).isTrue();
    assertThat(cli.getBoolean("absent-is-fallback", false)).isFalse();
    assertThat(CliArgs.parse(new String[] {"--flag", "false"}, KNOWN).getBoolean("flag", true))
        .isFalse();
  }

  @Test
  void givenOptionsWinOverDefaults() {
    CliArgs cli =
        CliArgs.parse(new String[] {"--n", "7"}, KNOWN)
            .withDefaults(Map.of("n", "3", "name", "preset"));
    assertThat(cli.getInt("n", 0)).isEqualTo(7);
    assertThat(cli.get("name", null)).isEqualTo("preset");
    assertThat(cli.has("flag")).isFalse();
  }

  @Test
  void refusesUnknownOptionsAndBadValues() {
    assertThatThrownBy(() -> CliArgs.parse(new String[] {"--nope", "1"}, KNOWN))
        .hasMessageContaining("unknown option --nope");
    assertThatThrownBy(() -> CliArgs.parse(new String[] {"stray"}, KNOWN))
        .hasMessageContaining("unexpected argument 'stray'");
    assertThatThrownBy(() -> CliArgs.parse(new String[] {"--n", "x"}, KNOWN).getInt("n", 0))
        .hasMessageContaining("--n must be an integer");
    assertThatThrownBy(
            () -> CliArgs.parse(new String[] {"--flag", "yes"}, KNOWN).getBoolean("flag", false))
        .hasMessageContaining("--flag must be true or false, got 'yes'");
    assertThatThrownBy(
            () ->
                CliArgs.parse(new String[] {"--name", "DOWN"}, KNOWN)
                    .getChoice("name", RoundingMode.HALF_UP))
        .hasMessageContaining("--name must be up or down or ceiling")
        .hasMessageContaining("got 'DOWN'");
  }

  @Test
  void choicesAreEnumConstantsInLowerCaseWithDashes() {
    assertThat(
            CliArgs.parse(new String[] {"--name", "half-even"}, KNOWN)
                .getChoice("name", RoundingMode.UP))
        .isEqualTo(RoundingMode.HALF_EVEN);
    assertThat(CliArgs.parse(new String[0], KNOWN).getChoice("name", RoundingMode.FLOOR))
        .isEqualTo(RoundingMode.FLOOR);
    assertThat(CliArgs.choiceName(RoundingMode.HALF_DOWN)).isEqualTo("half-down");
  }
}
