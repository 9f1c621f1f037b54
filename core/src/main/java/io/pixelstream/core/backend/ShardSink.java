package io.pixelstream.core.backend;

import io.pixelstream.core.index.IndexedImage;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * One shard of one model version, written by one writer: upserts and deletes by id become visible
 * at {@link #publish} (cheap, often: what freshness waits for) and visible and durable at {@link
 * #commit} (what a checkpoint waits for), each with the writer's commit data (its source positions,
 * the state of a backfill into it). A published change survives a crash of the writer's process; a
 * restart of the machine may take the shard back to its last commit, whose data says where the
 * replay starts. Not thread-safe; {@link #close} discards what was neither.
 */
public interface ShardSink extends Closeable {

  /** Adds {@code image}, replacing the document with its id if there is one. */
  void upsert(IndexedImage image) throws IOException;

  /** Deletes the document with {@code id}, if any. */
  void delete(String id) throws IOException;

  /** Makes every change so far durable and visible, recording {@code data} with them. */
  void commit(Map<String, String> data) throws IOException;

  /**
   * Makes every change so far visible to readers, recording {@code data} with them, without waiting
   * for the storage to make them durable.
   */
  void publish(Map<String, String> data) throws IOException;

  /** The data the next commit carries unless replaced: the last commit's when opened. */
  Map<String, String> commitData();

  /** True when changes were made since the last commit (published ones included). */
  boolean hasUncommittedChanges();

  /** Segments (separately searched parts) as of the last publish or commit; -1 if not known. */
  int segments();

  /** fsync calls the sink made so far; -1 where the storage does not tell. */
  long fsyncs();

  /**
   * CPU time this process spent merging the sink's segments so far, in nanoseconds; 0 where the
   * storage merges elsewhere (a remote server).
   */
  default long mergeCpuNanos() {
    return 0;
  }
}
