package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingAliasTest {

  @Test
  void switchesKeepThePreviousVersionsMostRecentFirst(@TempDir Path root) throws Exception {
    ServingAlias alias = new ServingAlias(root);
    assertThat(alias.read()).isEmpty();

    ServingAlias.State first = alias.switchTo("v1");
    assertThat(first.previous()).isEmpty();
    alias.switchTo("v2");
    ServingAlias.State third = alias.switchTo("v3");
    assertThat(third.previous()).containsExactly("v2", "v1");
    assertThat(first.generation()).isZero();
    assertThat(third.generation()).isEqualTo(2);
    assertThat(alias.read()).contains(third);

    // a rollback to v2 moves it out of `previous`
    assertThat(alias.switchTo("v2").previous()).containsExactly("v3", "v1");
    try (var files = Files.list(root)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("serving.json");
    }
  }

  @Test
  void switchingToTheServedVersionChangesNothing(@TempDir Path root) throws Exception {
    ServingAlias alias = new ServingAlias(root);
    ServingAlias.State s = alias.switchTo("v1");
    Thread.sleep(5);
    assertThat(alias.switchTo("v1")).isEqualTo(s);
  }

  @Test
  void expiredVersionsAreThoseBeyondTheRetainedOnes() {
    ServingAlias.State s = new ServingAlias.State("v4", List.of("v3", "v2", "v1"), 3, 0);
    assertThat(ServingAlias.expired(s, 1)).containsExactly("v2", "v1");
    assertThat(ServingAlias.expired(s, 5)).isEmpty();
    assertThatThrownBy(() -> ServingAlias.expired(s, -1)).hasMessageContaining("retain");
  }

  @Test
  void refusesANameThatIsNotAModelVersion(@TempDir Path root) {
    assertThatThrownBy(() -> new ServingAlias(root).switchTo("../etc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
  }
}
