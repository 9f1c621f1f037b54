package io.pixelstream.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

  @Test
  void threadsAreDaemonsWithTheGivenName() {
    Thread t = DaemonThreads.named("solr-fan-out").newThread(() -> {});

    assertThat(t.isDaemon()).isTrue();
    assertThat(t.getName()).isEqualTo("solr-fan-out");
    assertThat(t.getState()).isEqualTo(Thread.State.NEW);
  }

  @Test
  void rejectsAnEmptyName() {
    assertThatThrownBy(() -> DaemonThreads.named("")).hasMessageContaining("name");
  }
}
