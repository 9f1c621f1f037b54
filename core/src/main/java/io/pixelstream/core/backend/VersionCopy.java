package io.pixelstream.core.backend;

import io.pixelstream.core.index.IndexedImage;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Copies the served version's images into one shard of a new version, re-embedding each from its
 * stored bytes, while the stream keeps writing that shard: the stream has the last word on every id
 * it touches. Steps are resumable: the copy's state goes into the target's commit data ({@link
 * #commitData}) and a restart resumes from the last commit. Not thread-safe: call everything from
 * the thread that writes the target, and {@link #afterCommit} right after it committed.
 */
public interface VersionCopy extends Closeable {

  /** Turns served images into the new version's: a new vector, cluster and model version. */
  @FunctionalInterface
  interface Reembedder {
    /**
     * @return one image per input, in order; null for an image that cannot be re-embedded (its
     *     stored bytes no longer decode), which is then counted as failed
     */
    List<IndexedImage> reembed(List<IndexedImage> images) throws IOException;
  }

  /** The stream wrote or deleted {@code id} in the target: the served copy must not follow. */
  void touched(String id);

  /**
   * The stream deleted {@code id} and the served version may still hold it: the copy must never
   * follow, also after a commit and a restart.
   */
  void deleted(String id);

  /**
   * Visits up to {@code max} served images and copies those the target should get.
   *
   * @return images visited (0 once done)
   */
  int step(int max) throws IOException;

  /** The target (and the served shard, where the copy deletes from it) was just committed. */
  void afterCommit() throws IOException;

  /** The copy's state, to commit with the target. */
  Map<String, String> commitData();

  /** True once every served image was visited. */
  boolean done();

  /** Images copied, over the whole copy (across restarts). */
  long copied();

  /** Images whose stored bytes could not be re-embedded, since this run started. */
  long failed();

  /** Served images when this run started. */
  long total();
}
