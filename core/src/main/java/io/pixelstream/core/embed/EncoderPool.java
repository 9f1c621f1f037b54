package io.pixelstream.core.embed;

import io.pixelstream.core.model.ModelArtifact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of {@link ImageEncoder}s (one DJL predictor each) shared by request threads: a thread
 * borrows one for a call and gives it back, so at most {@code size} forwards run at once and native
 * memory stays bounded.
 */
public final class EncoderPool implements AutoCloseable {

  private final List<ImageEncoder> all = new ArrayList<>();
  private final BlockingQueue<ImageEncoder> idle;
  private final Duration wait;

  /**
   * @param size encoders, >= 1 (usually the number of request threads)
   * @param wait how long {@link #embed} waits for a free encoder before failing
   */
  public EncoderPool(
      ModelArtifact artifact, ImageEncoder.DeviceChoice device, int size, Duration wait) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, got " + size);
    }
    this.idle = new ArrayBlockingQueue<>(size);
    this.wait = wait;
    try {
      for (int i = 0; i < size; i++) {
        ImageEncoder e = ImageEncoder.open(artifact, device);
        all.add(e);
        idle.add(e);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Embeds one preprocessed input with a borrowed encoder. */
  public float[] embed(float[] input) {
    ImageEncoder encoder;
    try {
      encoder = idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an encoder", e);
    }
    if (encoder == null) {
      throw new IllegalStateException("no encoder free within " + wait.toMillis() + " ms");
    }
    try {
      return encoder.embed(new float[][] {input})[0];
    } finally {
      idle.add(encoder);
    }
  }

  @Override
  public void close() {
    for (ImageEncoder e : all) {
      e.close();
    }
    all.clear();
  }
}
