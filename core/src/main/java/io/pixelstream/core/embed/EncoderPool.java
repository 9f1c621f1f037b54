package io.pixelstream.core.embed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Embeds single inputs for many request threads with a fixed set of {@link ImageEncoder}s (one DJL
 * predictor each, on its own worker thread). Requests queue up; a free worker takes every request
 * waiting, up to {@code maxBatch}, and embeds them in one forward pass. An idle worker takes a lone
 * request at once, so batching adds no delay: batches only form while all workers are busy, which
 * is exactly when one forward for several inputs beats several forwards. At most {@code workers}
 * forwards run at once and at most {@code queueCapacity} requests wait, so native and heap memory
 * stay bounded.
 */
public final class EncoderPool implements AutoCloseable {

  private record Request(float[] input, CompletableFuture<float[]> result) {}

  private final BlockingQueue<Request> queue;
  private final List<ImageEncoder> encoders = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();
  private final int maxBatch;
  private final Duration wait;
  private volatile boolean closed;

  /**
   * @param encoders opens one encoder per worker (each closed by the pool)
   * @param workers encoders and worker threads, >= 1
   * @param maxBatch largest batch one forward pass takes, >= 1 (and at most {@link
   *     ImageEncoder#maxBatch} for the model's input)
   * @param queueCapacity requests that may wait, >= 1
   * @param wait how long {@link #embed} waits for queue room and for its result before failing
   */
  public EncoderPool(
      Supplier<ImageEncoder> encoders,
      int workers,
      int maxBatch,
      int queueCapacity,
      Duration wait) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
    }
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.wait = wait;
    try {
      for (int i = 0; i < workers; i++) {
        this.encoders.add(encoders.get());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.maxBatch =
        Math.min(maxBatch, ImageEncoder.maxBatch(this.encoders.get(0).manifest().input()));
    for (int i = 0; i < workers; i++) {
      ImageEncoder encoder = this.encoders.get(i);
      Thread t = new Thread(() -> work(encoder), "encoder-" + i);
      t.setDaemon(true);
      this.workers.add(t);
      t.start();
    }
  }

  /**
   * Embeds one preprocessed input.
   *
   * @throws IllegalStateException when the queue stays full or the result does not come within the
   *     wait, or the pool is closed
   */
  public float[] embed(float[] input) {
    if (closed) {
      throw new IllegalStateException("encoder pool is closed");
    }
    Request request = new Request(input, new CompletableFuture<>());
    try {
      if (!queue.offer(request, wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "encoder queue full for " + wait.toMillis() + " ms (overloaded)");
      }
      return request.result().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no embedding within " + wait.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("encoder failed", cause);
    }
  }

  private void work(ImageEncoder encoder) {
    List<Request> batch = new ArrayList<>(maxBatch);
    while (!closed) {
      try {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        float[][] inputs = new float[batch.size()][];
        for (int i = 0; i < inputs.length; i++) {
          inputs[i] = batch.get(i).input();
        }
        try {
          float[][] out = encoder.embed(inputs);
          for (int i = 0; i < out.length; i++) {
            batch.get(i).result().complete(out[i]);
          }
        } catch (RuntimeException e) {
          batch.forEach(r -> r.result().completeExceptionally(e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  /** Stops the workers (after their current batch) and closes the encoders. */
  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Request r;
    while ((r = queue.poll()) != null) {
      r.result().completeExceptionally(new IllegalStateException("encoder pool closed"));
    }
    for (ImageEncoder e : encoders) {
      e.close();
    }
    encoders.clear();
  }
}
