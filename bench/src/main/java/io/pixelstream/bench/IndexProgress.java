package io.pixelstream.bench;

import io.pixelstream.core.index.LuceneClasses;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How many documents a model version's shards hold, as a searcher sees them, polled every {@code
 * pollMs}: the times at which the count first reached each multiple of {@code step}. Reads only
 * segment counts, never stored fields, so it costs next to nothing beside a million-image ingest
 * (the {@link VisibilityWatcher} reads every id, which merges of large segments make expensive).
 */
final class IndexProgress implements Runnable, AutoCloseable {

  private final Path indexRoot;
  private final String version;
  private final int shards;
  private final long step;
  private final long pollMs;
  private final List<Long> reachedAt = new ArrayList<>();
  private volatile long documents;
  private volatile boolean stopped;
  private volatile Exception failure;
  private final Thread thread = new Thread(this, "index-progress");

  IndexProgress(Path indexRoot, String version, int shards, long step, long pollMs) {
    LuceneClasses.initialize(); // its thread opens readers while the job's threads open writers
    this.indexRoot = indexRoot;
    this.version = version;
    this.shards = shards;
    this.step = step;
    this.pollMs = pollMs;
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits until the shards hold {@code n} documents, a multiple of the step; returns when they
   * first did (epoch ms).
   */
  long awaitDocuments(long n, long timeoutMs) throws InterruptedException {
    if (n <= 0 || n % step != 0) {
      throw new IllegalArgumentException("n must be a positive multiple of " + step + ", got " + n);
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (documents < n) {
      if (failure != null) {
        throw new IllegalStateException("watching " + indexRoot, failure);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "only " + documents + " of " + n + " documents visible after " + timeoutMs + " ms");
      }
      Thread.sleep(pollMs);
    }
    synchronized (reachedAt) {
      return reachedAt.get((int) (n / step) - 1);
    }
  }

  /** When the count first reached {@code step}, {@code 2 * step}, ... (epoch ms). */
  List<Long> reachedAt() {
    synchronized (reachedAt) {
      return List.copyOf(reachedAt);
    }
  }

  @Override
  public void run() {
    try (ShardReaders readers = new ShardReaders(indexRoot, version, shards)) {
      while (!stopped) {
        readers.refresh();
        long total = readers.numDocs();
        long now = System.currentTimeMillis();
        synchronized (reachedAt) {
          while ((reachedAt.size() + 1) * step <= total) {
            reachedAt.add(now);
          }
        }
        documents = total;
        Thread.sleep(pollMs);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
  }
}
