package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.backend.VersionCopy;
import io.pixelstream.core.index.IndexFields;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's move from the served model version to a newly promoted one: the backend's {@link
 * VersionCopy} of the served version's images into the new version's shard, and, when both versions
 * have the same shard count, the served version's shard with this number (still deleted from, so
 * queries stop finding a deleted image at once). With another shard count (the job was rescaled)
 * every served shard is read, each move copies the ids routed to its own shard, and the served
 * version is left as it is until the switch. The sink writer steps it between writes, commits it
 * with its own commits, and once every shard of the new version committed a finished copy, {@link
 * #trySwitch} serves the new version. Not thread-safe: the writer's thread calls everything; {@link
 * #visited}, {@link #total} and {@link #rate} may be read by metrics.
 */
final class ShardMove implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(ShardMove.class);
  private static final long PROGRESS_LOG_MS = 5_000;

  private final IndexBackend backend;
  private final int shardNumber;
  private final int shards;
  private final IndexBackend.Served from;
  private final String to;

  /** The served version's shard with this number; null when the shard counts differ. */
  private final ShardSink source;

  private final VersionCopy copy;
  private final long startTime = System.currentTimeMillis();
  private volatile long visited;
  private volatile double rate;
  private long lastLogTime = startTime;
  private long lastLogVisited;

  /** True once a commit recorded the copy as done. */
  private boolean doneCommitted;

  private ShardMove(
      IndexBackend backend,
      int shardNumber,
      int shards,
      IndexBackend.Served from,
      String to,
      ShardSink source,
      VersionCopy copy) {
    this.backend = backend;
    this.shardNumber = shardNumber;
    this.shards = shards;
    this.from = from;
    this.to = to;
    this.source = source;
    this.copy = copy;
    this.doneCommitted = copy.done(); // only a resumed copy starts done, and it was committed
  }

  /**
   * Starts (or resumes, after a restart) moving into {@code target}, shard {@code shardNumber} of
   * {@code shards} of version {@code to}, from the served version.
   *
   * @param ownSource the served version's shard {@code shardNumber} when the served version has
   *     {@code shards} shards too, else null (see {@link IndexBackend#copy})
   */
  static ShardMove begin(
      IndexBackend backend,
      int shardNumber,
      int shards,
      IndexBackend.Served served,
      String to,
      ShardSink ownSource,
      ShardSink target,
      VersionCopy.Reembedder reembedder)
      throws IOException {
    VersionCopy copy = backend.copy(served, shardNumber, shards, target, ownSource, reembedder);
    LOG.info(
        "shard {}: new images go to model {}; backfilling {} images of {}{}{}",
        shardNumber,
        to,
        copy.total(),
        served.version(),
        ownSource != null ? "" : " (all its shards, the ids routed to this one of " + shards + ")",
        copy.copied() > 0 ? " (resumed, " + copy.copied() + " already copied)" : "");
    return new ShardMove(backend, shardNumber, shards, served, to, ownSource, copy);
  }

  /** The stream wrote {@code id} into the new version. */
  void written(String id) {
    copy.touched(id);
  }

  /** The stream deleted {@code id}: the copy skips it (and the served shard, if owned, too). */
  void deleted(String id) throws IOException {
    if (source != null) {
      source.delete(id);
      copy.touched(id);
    } else {
      copy.deleted(id);
    }
  }

  boolean backfillDone() {
    return copy.done();
  }

  /** True once a commit recorded the copy as done: {@link #trySwitch} may serve the new version. */
  boolean doneCommitted() {
    return doneCommitted;
  }

  /**
   * One copy step of up to {@code batchSize} images.
   *
   * @return the images whose stored bytes could not be re-embedded in this step
   */
  long step(int batchSize) throws IOException {
    long failedBefore = copy.failed();
    visited += copy.step(batchSize);
    long now = System.currentTimeMillis();
    if (now - lastLogTime >= PROGRESS_LOG_MS || copy.done()) {
      rate = (visited - lastLogVisited) * 1000.0 / Math.max(1, now - lastLogTime);
      lastLogTime = now;
      lastLogVisited = visited;
      LOG.info(
          "shard {}: backfill {} -> {}: {}/{} images ({} copied), {} images/s{}",
          shardNumber,
          from.version(),
          to,
          visited,
          copy.total(),
          copy.copied(),
          Math.round(rate),
          copy.done()
              ? ", done in " + (now - startTime) / 1000.0 + " s; switching after the next commit"
              : "");
    }
    return copy.failed() - failedBefore;
  }

  /**
   * Commits the served version's shard, if owned (its deletes), and returns the copy's state for
   * the new version's commit.
   */
  Map<String, String> commitSource(long now) throws IOException {
    if (source != null) {
      Map<String, String> sourceData = source.commitData();
      sourceData.put(IndexFields.COMMIT_TIME, Long.toString(now));
      source.commit(sourceData);
    }
    return copy.commitData();
  }

  /** Both shards were committed. */
  void afterCommit() throws IOException {
    copy.afterCommit();
    doneCommitted = copy.done();
  }

  /**
   * Serves the new version once every one of its shards committed a finished copy (or notices that
   * another shard's writer did).
   *
   * @return true when the new version is served: the move is over, {@link #close} it
   */
  boolean trySwitch() throws IOException {
    if (backend.servedVersion().orElseThrow().equals(to)) {
      return true;
    }
    if (!backend.copied(to, shards, from)) {
      return false;
    }
    backend.switchTo(to);
    LOG.info(
        "index alias moved from {} to {}, {} s after the promotion was seen",
        from.version(),
        to,
        (System.currentTimeMillis() - startTime) / 1000.0);
    return true;
  }

  /** Images of the served version visited so far (copied or skipped). */
  long visited() {
    return visited;
  }

  /** Served images when the copy (re)started. */
  long total() {
    return copy.total();
  }

  /** Images per second over the last progress interval. */
  double rate() {
    return rate;
  }

  /** Closes the copy's readers and the served version's shard, if owned. */
  @Override
  public void close() throws IOException {
    try (ShardSink owned = source) {
      copy.close();
    }
  }
}
