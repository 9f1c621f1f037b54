package io.pixelstream.core.backend;

import io.pixelstream.core.index.IndexedImage;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * One shard of one model version, written by one writer: upserts and deletes by id become visible
 * and durable together at {@link #commit}, with the writer's commit data (its source positions, the
 * state of a backfill into it). Not thread-safe; {@link #close} discards what was not committed.
 */
public interface ShardSink extends Closeable {

  /** Adds {@code image}, replacing the document with its id if there is one. */
  void upsert(IndexedImage image) throws IOException;

  /** Deletes the document with {@code id}, if any. */
  void delete(String id) throws IOException;

  /** Makes every change so far durable and visible, recording {@code data} with them. */
  void commit(Map<String, String> data) throws IOException;

  /** The data the next commit carries unless replaced: the last commit's when opened. */
  Map<String, String> commitData();

  /** True when changes were made since the last commit. */
  boolean hasUncommittedChanges();
}
