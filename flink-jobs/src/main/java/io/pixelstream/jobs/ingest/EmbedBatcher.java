package io.pixelstream.jobs.ingest;

import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.runtime.VersionFollower;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the embed step does, apart from Flink's timers: buffers events, embeds their inputs in one
 * batch with the current {@link ModelRuntime} and assigns each its nearest centroid. Deletes travel
 * through the same buffer so they keep their order with the puts of the same id.
 *
 * <p>The model follows the data: an image prepared for another version than the current one makes
 * this step look at the registry (at most once per poll interval) and move to its current version,
 * embedding what was buffered with the old model first. An image that still does not match (a
 * decode subtask that has not moved yet, or a version this step could not load) is prepared again
 * from its bytes when the two models prepare differently ({@link IngestMetrics#REPREPARED}); one
 * that no longer prepares goes to the dead-letter topic with its reason. Not thread-safe.
 */
final class EmbedBatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbedBatcher.class);

  /** The counters and histograms this step reports. */
  record Metrics(
      Counter embedded,
      Counter embedNanos,
      Counter reprepared,
      Counter reprepareFailed,
      Histogram batchSizes,
      Histogram embedLatencyMs,
      Histogram untilEmbedMs,
      Histogram batchWaitMs) {}

  private final IngestSettings settings;
  private final ModelRegistry registry;
  private final VersionFollower follower;
  private final Metrics metrics;
  private final Map<String, Boolean> preparesLike = new HashMap<>();
  private final List<ImageEvent> buffer;

  /** When each buffered event was added (epoch ms), in buffer order. */
  private long[] addedAt;

  private ModelRuntime runtime;
  private int pendingImages;

  EmbedBatcher(IngestSettings settings, ModelRuntime start, Metrics metrics) {
    this.settings = settings;
    this.registry = settings.registry();
    this.follower = settings.follower("embed", start.version());
    this.metrics = metrics;
    this.runtime = start;
    this.buffer = new ArrayList<>(settings.batchSize());
    this.addedAt = new long[settings.batchSize()];
    LOG.info("embed: model {} runs on {}", start.version(), start.device());
  }

  String version() {
    return runtime.version();
  }

  /** Images buffered. */
  int pendingImages() {
    return pendingImages;
  }

  /** Events buffered, deletes included. */
  int buffered() {
    return buffer.size();
  }

  /**
   * Buffers {@code e}, first moving to another model or preparing {@code e} again where its input
   * was made for another version; a refused image goes to {@code deadLetters} and is not buffered.
   */
  void add(ImageEvent e, Consumer<ImageEvent> out, Consumer<DeadLetter> deadLetters) {
    if (!e.deleted && !runtime.version().equals(e.preparedFor)) {
      followRegistry(out);
      if (!runtime.version().equals(e.preparedFor) && !prepareAgain(e, deadLetters)) {
        return;
      }
    }
    long now = System.currentTimeMillis();
    if (buffer.size() == addedAt.length) {
      addedAt = Arrays.copyOf(addedAt, addedAt.length * 2);
    }
    addedAt[buffer.size()] = now;
    buffer.add(e);
    if (!e.deleted) {
      pendingImages++;
      metrics.untilEmbedMs().update(now - e.eventTime);
    }
  }

  private void followRegistry(Consumer<ImageEvent> out) {
    if (follower == null) {
      return;
    }
    follower.pollAtMostEvery(
        settings.modelPollMs(),
        version -> {
          ModelRuntime next = settings.runtime(registry.read(version));
          LOG.info("embed: model {} runs on {}", version, next.device());
          flush(out); // what was buffered is embedded with the model it was prepared for
          ModelRuntime previous = runtime;
          runtime = next;
          preparesLike.clear();
          previous.close();
        });
  }

  /** True when {@code e} can be embedded by the current model (prepared again if needed). */
  private boolean prepareAgain(ImageEvent e, Consumer<DeadLetter> deadLetters) {
    if (preparesLike.computeIfAbsent(e.preparedFor, this::preparesLikeCurrent)) {
      return true;
    }
    try {
      e.input = runtime.prepare(e.id.getBytes(StandardCharsets.UTF_8), e.image, null, null).input();
      e.preparedFor = runtime.version();
      metrics.reprepared().inc();
      return true;
    } catch (RejectedInputException ex) {
      metrics.reprepareFailed().inc();
      deadLetters.accept(
          DeadLetter.of(
              e,
              ex.describe()
                  + " (prepared for model "
                  + e.preparedFor
                  + ", not for "
                  + version()
                  + ")",
              settings.dlqMaxRecordBytes()));
      return false;
    }
  }

  private boolean preparesLikeCurrent(String version) {
    if (registry == null || version == null) {
      return true; // a fixed model: everything was prepared for it
    }
    try {
      ModelManifest other = registry.read(version).manifest();
      return runtime.preparesLike(other);
    } catch (IOException ex) {
      return false;
    }
  }

  /** Embeds the buffered images and hands every buffered event to {@code out}, in order. */
  void flush(Consumer<ImageEvent> out) {
    if (buffer.isEmpty()) {
      return;
    }
    if (pendingImages > 0) {
      long flushAt = System.currentTimeMillis();
      for (int b = 0; b < buffer.size(); b++) {
        if (!buffer.get(b).deleted) {
          metrics.batchWaitMs().update(flushAt - addedAt[b]);
        }
      }
      float[][] inputs = new float[pendingImages][];
      int i = 0;
      for (ImageEvent e : buffer) {
        if (!e.deleted) {
          inputs[i++] = e.input;
        }
      }
      long start = System.nanoTime();
      float[][] vectors = runtime.embed(inputs);
      metrics.embedLatencyMs().update((System.nanoTime() - start) / 1_000_000);
      metrics.batchSizes().update(inputs.length);
      metrics.embedded().inc(inputs.length);
      long now = System.currentTimeMillis();
      i = 0;
      for (ImageEvent e : buffer) {
        if (!e.deleted) {
          e.vector = vectors[i++];
          e.cluster = runtime.centroids().nearest(e.vector);
          e.input = null;
          e.modelVersion = runtime.version();
          e.ingestTime = now;
        }
      }
      metrics.embedNanos().inc(System.nanoTime() - start);
    }
    buffer.forEach(out);
    buffer.clear();
    pendingImages = 0;
  }

  @Override
  public void close() {
    runtime.close();
  }
}
