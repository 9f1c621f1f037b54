package io.pixelstream.jobs.ingest;

import io.pixelstream.core.index.IndexLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;

/**
 * Catches the job in the middle of an index commit: Lucene writes {@code pending_segments_N} and
 * syncs the new files before it renames it to {@code segments_N}, so while that file exists a
 * commit is under way. A publish syncs nothing, so its pending file lives for microseconds; {@link
 * #awaitChange} also takes the moment a new {@code segments_N} appears, when readers start opening
 * it. For tests that crash a process at that moment.
 */
final class CommitWatch {

  private CommitWatch() {}

  /** Polls {@code version}'s shards until one holds a pending commit; returns its file. */
  static Optional<Path> awaitPending(IndexLayout layout, String version, Duration timeout)
      throws IOException {
    return poll(layout, version, timeout, CommitWatch::pending);
  }

  /**
   * Polls {@code version}'s shards until one holds a pending commit or a commit newer than those
   * there when called; returns its file.
   */
  static Optional<Path> awaitChange(IndexLayout layout, String version, Duration timeout)
      throws IOException {
    Map<Path, Optional<Path>> newest = new HashMap<>();
    for (Path shard : layout.shardDirs(version)) {
      newest.put(shard, newestCommit(shard));
    }
    return poll(
        layout,
        version,
        timeout,
        shard -> {
          Optional<Path> pending = pending(shard);
          if (pending.isPresent()) {
            return pending;
          }
          Optional<Path> now = newestCommit(shard);
          boolean newer =
              now.isPresent() && !now.equals(newest.getOrDefault(shard, Optional.empty()));
          return newer ? now : Optional.empty();
        });
  }

  /** What to look for in one shard's folder. */
  private interface ShardCheck {
    Optional<Path> check(Path shard) throws IOException;
  }

  private static Optional<Path> poll(
      IndexLayout layout, String version, Duration timeout, ShardCheck check) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Path shard : layout.shardDirs(version)) {
        Optional<Path> found = check.check(shard);
        if (found.isPresent()) {
          return found;
        }
      }
      LockSupport.parkNanos(200_000L);
    }
    return Optional.empty();
  }

  private static Optional<Path> newestCommit(Path shard) throws IOException {
    try (Stream<Path> files = Files.list(shard)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("segments_"))
          .max(
              Comparator.comparingLong(
                  p -> SegmentInfos.generationFromSegmentsFileName(p.getFileName().toString())));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> pending(Path shard) throws IOException {
    try (Stream<Path> files = Files.list(shard)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("pending_segments_"))
          .findAny();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
