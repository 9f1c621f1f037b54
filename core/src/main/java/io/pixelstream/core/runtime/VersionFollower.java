package io.pixelstream.core.runtime;

import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a pointer to a model version (the registry's current version, or the index alias) for one
 * stage: when the pointer names another version, {@link #poll} asks the stage to move there. A
 * version the stage could not move to is refused: logged once and not tried again until the pointer
 * names another one. A pointer that cannot be read is retried on every poll and logged once per
 * outage. Not thread-safe: poll from the stage's own thread.
 *
 * <pre>{@code
 * VersionFollower follower = new VersionFollower("embed", registry::current, start.version());
 * follower.poll(version -> use(registry.read(version))); // on a timer
 * }</pre>
 */
public final class VersionFollower {

  private static final Logger LOG = LoggerFactory.getLogger(VersionFollower.class);

  /** Reads the pointer; empty while it names no version. */
  @FunctionalInterface
  public interface Pointer {
    Optional<String> read() throws IOException;
  }

  /** Moves the stage to a version; throws when it cannot. */
  @FunctionalInterface
  public interface Move {
    void to(String version) throws Exception;
  }

  private final String stage;
  private final Pointer pointer;
  private String current;
  private String refused;
  private boolean unreadable;
  private long nextPoll = Long.MIN_VALUE;

  /**
   * @param stage names the stage in log lines, e.g. {@code "embed"} or {@code "shard 2"}
   * @param pointer where the version to run is read
   * @param current the version the stage runs now
   */
  public VersionFollower(String stage, Pointer pointer, String current) {
    if (current == null) {
      throw new IllegalArgumentException("current must not be null");
    }
    this.stage = stage;
    this.pointer = pointer;
    this.current = current;
  }

  /** The version the stage runs. */
  public String current() {
    return current;
  }

  /** The last version the stage could not move to, if any. */
  public Optional<String> refused() {
    return Optional.ofNullable(refused);
  }

  /**
   * Reads the pointer and {@link #offer offers} the version it names.
   *
   * @return true when the stage moved
   */
  public boolean poll(Move move) {
    String target;
    try {
      target = pointer.read().orElse(null);
    } catch (IOException | RuntimeException e) {
      if (!unreadable) {
        LOG.warn("{}: cannot read the model pointer; still on {}, retrying", stage, current, e);
      }
      unreadable = true;
      return false;
    }
    if (unreadable) {
      LOG.info("{}: the model pointer can be read again", stage);
      unreadable = false;
    }
    return offer(target, move);
  }

  /**
   * {@link #poll Polls} unless the last poll through this method was less than {@code intervalMs}
   * ago: for a stage that looks from its hot path rather than a timer.
   *
   * @return true when the stage moved
   */
  public boolean pollAtMostEvery(long intervalMs, Move move) {
    long now = System.currentTimeMillis();
    if (now < nextPoll) {
      return false;
    }
    nextPoll = now + intervalMs;
    return poll(move);
  }

  /**
   * Moves to {@code target} unless the stage runs it already or refused it (a version can also be
   * seen first in the data, before the pointer is read).
   *
   * @return true when the stage moved
   */
  public boolean offer(String target, Move move) {
    if (target == null || target.equals(current) || target.equals(refused)) {
      return false;
    }
    try {
      move.to(target);
    } catch (Exception e) {
      refused = target;
      LOG.error("{}: cannot move to model {}; still on {}", stage, target, current, e);
      return false;
    }
    current = target;
    return true;
  }
}
