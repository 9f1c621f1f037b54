package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.io.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;

/**
 * Publishes a shard on a thread of its own, one publish at a time, so that the sink's thread goes
 * on writing while Lucene flushes (its index writer takes writes during a commit; what arrives
 * meanwhile waits for the next publish). A publish records the source position the sink had reached
 * when it was asked for, which the commit holds at least: a replay from there overwrites by id. A
 * failed publish is thrown to the sink's thread at its next call ({@link #checkFailure}). Measured:
 * paced on the sink's thread, a publish of 86-132 ms (p50) held every write behind it, and
 * publishing every 100 ms became 1.3-2.7 publishes a second (docs/benchmarks.md).
 */
final class ShardPublisher implements AutoCloseable {

  private final ExecutorService thread;
  private final Counter publishes;
  private final Histogram publishMs;
  private volatile Future<?> inFlight;

  ShardPublisher(String name, Counter publishes, Histogram publishMs) {
    this.publishes = publishes;
    this.publishMs = publishMs;
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named(name));
  }

  /** True while a publish runs. */
  boolean busy() {
    Future<?> f = inFlight;
    return f != null && !f.isDone();
  }

  /**
   * Publishes {@code shard} with {@code data} in the background; {@code batch} becomes visible when
   * it returns. Call only when not {@link #busy}.
   */
  void submit(ShardSink shard, Map<String, String> data, PendingVisibility.Batch batch) {
    if (busy()) {
      throw new IllegalStateException("a publish is still running");
    }
    inFlight =
        thread.submit(
            () -> {
              long start = System.nanoTime();
              try {
                shard.publish(data);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              batch.visible(System.currentTimeMillis());
              publishes.inc();
              publishMs.update((System.nanoTime() - start) / 1_000_000);
            });
  }

  /** Throws what the last finished publish failed with, if it did. */
  void checkFailure() throws IOException {
    Future<?> f = inFlight;
    if (f != null && f.isDone()) {
      await();
    }
  }

  /** Waits for the running publish, if any; throws what it failed with. */
  void await() throws IOException {
    Future<?> f = inFlight;
    if (f == null) {
      return;
    }
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while a publish ran", e);
    } catch (ExecutionException e) {
      inFlight = null; // thrown once; the task fails and restarts from its checkpoint
      Throwable cause =
          e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      throw cause instanceof IOException io ? io : new IOException("publish failed", cause);
    }
  }

  /** Waits for the running publish and stops the thread; a failure of that publish is dropped. */
  @Override
  public void close() {
    try {
      await();
    } catch (IOException e) {
      // closing: whatever was published is on disk, the rest is replayed
    } finally {
      thread.shutdown();
    }
  }
}
