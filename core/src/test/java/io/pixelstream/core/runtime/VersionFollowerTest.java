package io.pixelstream.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VersionFollowerTest {

  private final AtomicReference<Object> pointer = new AtomicReference<>(Optional.of("v1"));
  private final List<String> attempts = new ArrayList<>();

  private Optional<String> read() throws IOException {
    Object p = pointer.get();
    if (p instanceof IOException e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    Optional<String> version = (Optional<String>) p;
    return version;
  }

  private void moveUnless(String version, String broken) {
    attempts.add(version);
    if (version.equals(broken)) {
      throw new IllegalStateException("cannot load " + version);
    }
  }

  @Test
  void movesWhenThePointerNamesAnotherVersion() {
    VersionFollower f = new VersionFollower("test", this::read, "v1");
    assertThat(f.poll(v -> moveUnless(v, "none"))).isFalse();
    pointer.set(Optional.of("v2"));
    assertThat(f.poll(v -> moveUnless(v, "none"))).isTrue();
    assertThat(f.current()).isEqualTo("v2");
    assertThat(f.poll(v -> moveUnless(v, "none"))).isFalse();
    assertThat(attempts).containsExactly("v2");
  }

  @Test
  void aRefusedVersionIsTriedOnceAndTheNextOneStillFollows() {
    VersionFollower f = new VersionFollower("test", this::read, "v1");
    pointer.set(Optional.of("bad"));
    assertThat(f.poll(v -> moveUnless(v, "bad"))).isFalse();
    assertThat(f.poll(v -> moveUnless(v, "bad"))).isFalse();
    assertThat(f.offer("bad", v -> moveUnless(v, "bad"))).isFalse();
    assertThat(attempts).containsExactly("bad");
    assertThat(f.refused()).contains("bad");
    assertThat(f.current()).isEqualTo("v1");

    pointer.set(Optional.of("v3"));
    assertThat(f.poll(v -> moveUnless(v, "bad"))).isTrue();
    assertThat(f.current()).isEqualTo("v3");
  }

  @Test
  void anUnreadablePointerIsRetriedOnEveryPoll() {
    VersionFollower f = new VersionFollower("test", this::read, "v1");
    pointer.set(new IOException("registry unmounted"));
    assertThat(f.poll(v -> moveUnless(v, "none"))).isFalse();
    assertThat(f.poll(v -> moveUnless(v, "none"))).isFalse();
    pointer.set(Optional.of("v2"));
    assertThat(f.poll(v -> moveUnless(v, "none"))).isTrue();
    assertThat(attempts).containsExactly("v2");
  }

  @Test
  void anEmptyPointerKeepsTheCurrentVersion() {
    VersionFollower f = new VersionFollower("test", this::read, "v1");
    pointer.set(Optional.empty());
    assertThat(f.poll(v -> moveUnless(v, "none"))).isFalse();
    assertThat(f.current()).isEqualTo("v1");
    assertThat(attempts).isEmpty();
  }

  @Test
  void pollAtMostEveryReadsThePointerOncePerInterval() {
    VersionFollower f = new VersionFollower("test", this::read, "v1");
    pointer.set(Optional.of("v2"));
    assertThat(f.pollAtMostEvery(60_000, v -> moveUnless(v, "none"))).isTrue();
    pointer.set(Optional.of("v3"));
    assertThat(f.pollAtMostEvery(60_000, v -> moveUnless(v, "none"))).isFalse(); // not yet due
    assertThat(f.current()).isEqualTo("v2");
    assertThat(f.pollAtMostEvery(0, v -> moveUnless(v, "none"))).isFalse(); // the 60 s still run
    assertThat(attempts).containsExactly("v2");
  }
}
