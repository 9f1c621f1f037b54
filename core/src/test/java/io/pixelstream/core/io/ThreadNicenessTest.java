package io.pixelstream.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadNicenessTest {

  @Test
  void lowersOnlyTheCallingThreadAndNeverRaisesItBack() throws Exception {
    assumeTrue(ThreadNiceness.supported(), "needs Linux with glibc >= 2.30");
    int before = ThreadNiceness.current();
    assumeTrue(before < 7, "this thread already runs at nice " + before);
    AtomicInteger lowered = new AtomicInteger(-100);
    AtomicInteger afterAskingLess = new AtomicInteger(-100);
    Thread t =
        new Thread(
            () -> {
              ThreadNiceness.lowerCurrent(7);
              lowered.set(ThreadNiceness.current());
              ThreadNiceness.lowerCurrent(3);
              afterAskingLess.set(ThreadNiceness.current());
            });
    t.start();
    t.join();
    assertThat(lowered.get()).isEqualTo(7);
    assertThat(afterAskingLess.get()).isEqualTo(7);
    assertThat(ThreadNiceness.current()).isEqualTo(before);
  }

  @Test
  void refusesValuesOutsideTheRange() {
    assertThatThrownBy(() -> ThreadNiceness.lowerCurrent(20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nice must be in 0..19, got 20");
    assertThatThrownBy(() -> ThreadNiceness.lowerCurrent(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
