package io.pixelstream.jobs.ingest;

import io.pixelstream.core.index.BackfillSource;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.ShardBackfill;
import io.pixelstream.core.index.ShardWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's move from the served model version to a newly promoted one: the {@link ShardBackfill}
 * that copies the served version's images into the new version's shard, and, when both versions
 * have the same shard count, the served version's shard with this number (still deleted from, so
 * queries stop finding a deleted image at once). With another shard count (the job was rescaled)
 * every served shard is read, each move copies the ids routed to its own shard, and the served
 * version is left as it is until the switch. The sink writer steps it between writes, commits it
 * with its own commits, and once every shard of the new version committed a finished backfill,
 * {@link #trySwitch} moves the {@link ServingAlias} and deletes versions beyond {@code
 * index.retain-versions}. Not thread-safe: the writer's thread calls everything; {@link #visited}
 * and {@link #total} may be read by metrics.
 */
final class ShardMove implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(ShardMove.class);
  private static final long PROGRESS_LOG_MS = 5_000;

  private final int shardNumber;
  private final String from;
  private final String to;

  /** The served version's shard with this number; null when the shard counts differ. */
  private final ShardWriter source;

  private final ShardBackfill backfill;
  private final long startTime = System.currentTimeMillis();
  private volatile long visited;
  private volatile double rate;
  private long lastLogTime = startTime;
  private long lastLogVisited;

  /** True once a commit recorded the backfill as done. */
  private boolean doneCommitted;

  private ShardMove(
      int shardNumber, String from, String to, ShardWriter source, ShardBackfill backfill) {
    this.shardNumber = shardNumber;
    this.from = from;
    this.to = to;
    this.source = source;
    this.backfill = backfill;
    this.doneCommitted = backfill.done(); // only a resumed backfill starts done, and was committed
  }

  /**
   * Starts (or resumes, after a restart) moving into {@code target}, shard {@code shardNumber} of
   * {@code shards} of version {@code to}, from the served version.
   *
   * @param ownSource the served version's shard {@code shardNumber} when the served version has
   *     {@code shards} shards too, else null: every served shard in {@code servedShards} is read
   */
  static ShardMove begin(
      int shardNumber,
      int shards,
      ServingAlias.State serving,
      String to,
      ShardWriter ownSource,
      List<Path> servedShards,
      ShardWriter target,
      ShardBackfill.Reembedder reembedder)
      throws IOException {
    ShardBackfill backfill =
        ownSource != null
            ? ShardBackfill.startOrResume(
                ownSource, target, serving.version(), serving.generation(), reembedder)
            : ShardBackfill.startOrResume(
                BackfillSource.allShards(servedShards),
                id -> IndexLayout.shardFor(id, shards) == shardNumber,
                target,
                serving.version(),
                serving.generation(),
                reembedder);
    LOG.info(
        "shard {}: new images go to model {}; backfilling {} images of {}{}{}",
        shardNumber,
        to,
        backfill.total(),
        serving.version(),
        ownSource != null
            ? ""
            : " (all its "
                + servedShards.size()
                + " shards, the ids routed to this one of "
                + shards
                + ")",
        backfill.copied() > 0 ? " (resumed, " + backfill.copied() + " already copied)" : "");
    return new ShardMove(shardNumber, serving.version(), to, ownSource, backfill);
  }

  /** The stream wrote {@code id} into the new version. */
  void written(String id) {
    backfill.touched(id);
  }

  /** The stream deleted {@code id}: the backfill skips it (and the served shard, if owned, too). */
  void deleted(String id) throws IOException {
    if (source != null) {
      source.delete(id);
      backfill.touched(id);
    } else {
      backfill.deleted(id);
    }
  }

  boolean backfillDone() {
    return backfill.done();
  }

  /** True once a commit recorded the backfill as done: {@link #trySwitch} may move the alias. */
  boolean doneCommitted() {
    return doneCommitted;
  }

  /**
   * One backfill step of up to {@code batchSize} images.
   *
   * @return the images whose stored bytes could not be re-embedded in this step
   */
  long step(int batchSize) throws IOException {
    long failedBefore = backfill.failed();
    visited += backfill.step(batchSize);
    long now = System.currentTimeMillis();
    if (now - lastLogTime >= PROGRESS_LOG_MS || backfill.done()) {
      rate = (visited - lastLogVisited) * 1000.0 / Math.max(1, now - lastLogTime);
      lastLogTime = now;
      lastLogVisited = visited;
      LOG.info(
          "shard {}: backfill {} -> {}: {}/{} images ({} copied), {} images/s{}",
          shardNumber,
          from,
          to,
          visited,
          backfill.total(),
          backfill.copied(),
          Math.round(rate),
          backfill.done()
              ? ", done in " + (now - startTime) / 1000.0 + " s; switching after the next commit"
              : "");
    }
    return backfill.failed() - failedBefore;
  }

  /**
   * Commits the served version's shard, if owned (its deletes), and returns the backfill's state
   * for the new version's commit.
   */
  Map<String, String> commitSource(long now) throws IOException {
    if (source != null) {
      Map<String, String> sourceData = source.commitData();
      sourceData.put(IndexFields.COMMIT_TIME, Long.toString(now));
      source.commit(sourceData);
    }
    return backfill.commitData();
  }

  /** Both shards were committed. */
  void afterCommit() throws IOException {
    backfill.afterCommit();
    doneCommitted = backfill.done();
  }

  /**
   * Moves the alias to the new version once every one of its {@code shards} shards committed a
   * finished backfill (or notices another shard's writer did).
   *
   * @return true when the new version is served: the move is over, {@link #close} it
   */
  boolean trySwitch(Path indexRoot, int shards) throws IOException {
    ServingAlias alias = new ServingAlias(indexRoot);
    if (alias.read().orElseThrow().version().equals(to)) {
      return true;
    }
    List<Path> dirs = new IndexLayout(indexRoot).shardDirs(to);
    if (dirs.size() != shards) {
      return false;
    }
    for (Path dir : dirs) {
      if (!ShardBackfill.finished(ShardWriter.lastCommitData(dir), from, backfill.epoch())) {
        return false;
      }
    }
    alias.switchTo(to);
    LOG.info(
        "index alias moved from {} to {}, {} s after the promotion was seen",
        from,
        to,
        (System.currentTimeMillis() - startTime) / 1000.0);
    return true;
  }

  /** Images of the served version visited so far (copied or skipped). */
  long visited() {
    return visited;
  }

  /** Live images in the served version's shard when the backfill (re)started. */
  long total() {
    return backfill.total();
  }

  /** Images per second over the last progress interval. */
  double rate() {
    return rate;
  }

  /** Closes the backfill's readers and the served version's shard, if owned. */
  @Override
  public void close() throws IOException {
    try {
      backfill.close();
    } finally {
      if (source != null) {
        source.close(); // its committed deletes are all it needed
      }
    }
  }
}
