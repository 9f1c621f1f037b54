package io.pixelstream.query;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.embed.EncoderPool;
import io.pixelstream.core.fresh.FreshImages;
import io.pixelstream.core.fresh.FreshOverlay;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.runtime.ModelRuntime;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one model version serves with: its runtime (preprocessing, centroids), a pool of its
 * encoders and its pinned index version. A request {@link #tryAcquire acquires} one and uses it for
 * its whole answer, so an answer never mixes two versions; a version switched away from closes once
 * its last request {@link #release released} it.
 */
final class ServingModel {

  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  final ModelRuntime runtime;
  final PinnedVersion index;
  final EncoderPool encoders;

  /** One for the service holding it as current, one per request using it. */
  private final AtomicInteger refs = new AtomicInteger(1);

  private ServingModel(ModelRuntime runtime, PinnedVersion index, EncoderPool encoders) {
    this.runtime = runtime;
    this.index = index;
    this.encoders = encoders;
  }

  /**
   * Opens {@code artifact}'s version in {@code backend} and its encoders; with {@code fresh} (may
   * be null) the images held there answer too.
   */
  static ServingModel open(
      ModelArtifact artifact, IndexBackend backend, QueryOptions options, FreshImages fresh)
      throws IOException {
    QueryOptions.Embedding e = options.embedding();
    ImageLimits d = ImageLimits.DEFAULT;
    ModelRuntime runtime =
        ModelRuntime.of(
            artifact,
            new ImageLimits(options.maxImageBytes(), d.minSide(), d.maxSide(), d.maxPixels()),
            e.device());
    PinnedVersion index = backend.open(artifact.version());
    if (fresh != null) {
      index = new FreshOverlay(index, fresh, artifact.manifest().similarity());
    }
    try {
      EncoderPool pool =
          runtime.openPool(
              options.encoders(), e.maxBatch(), e.queue(), Duration.ofMillis(e.timeoutMillis()));
      return new ServingModel(runtime, index, pool);
    } catch (RuntimeException ex) {
      index.close();
      throw ex;
    }
  }

  String version() {
    return runtime.version();
  }

  /** Takes a reference unless the model is already closed. */
  boolean tryAcquire() {
    for (int n = refs.get(); n > 0; n = refs.get()) {
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives a reference back; the last one closes the encoders and the index. */
  void release() {
    if (refs.decrementAndGet() == 0) {
      try {
        encoders.close();
      } finally {
        try {
          index.close();
        } catch (IOException e) {
          LOG.warn("closing the index of model {}", version(), e);
        }
      }
    }
  }
}
