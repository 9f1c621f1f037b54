package io.pixelstream.query;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.embed.EncoderPool;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.search.LiveIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one model version serves with: its artifact, centroids, preprocessing, encoders and
 * live index. A request {@link #tryAcquire acquires} one and uses it for its whole answer, so an
 * answer never mixes two versions; a version switched away from closes once its last request {@link
 * #release released} it.
 */
final class ServingModel {

  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  /** Largest batch of concurrent queries embedded in one forward pass. */
  private static final int MAX_EMBED_BATCH = 32;

  /** Queries that may wait for an encoder; more get 503. */
  private static final int EMBED_QUEUE = 1024;

  final ModelArtifact artifact;
  final Centroids centroids;
  final ImagePreprocessor preprocessor;
  final LiveIndex index;
  final EncoderPool encoders;

  /** One for the service holding it as current, one per request using it. */
  private final AtomicInteger refs = new AtomicInteger(1);

  private ServingModel(ModelArtifact artifact, LiveIndex index, EncoderPool encoders) {
    this.artifact = artifact;
    this.centroids = new Centroids(artifact.manifest().clustering().centroids());
    this.preprocessor =
        new ImagePreprocessor(artifact.manifest().input(), artifact.manifest().normalization());
    this.index = index;
    this.encoders = encoders;
  }

  /** Opens {@code artifact}'s index under {@code indexRoot} and its encoders. */
  static ServingModel open(ModelArtifact artifact, Path indexRoot, int encoders)
      throws IOException {
    LiveIndex index = LiveIndex.open(indexRoot, artifact.version());
    try {
      return new ServingModel(
          artifact,
          index,
          new EncoderPool(
              artifact,
              ImageEncoder.DeviceChoice.AUTO,
              encoders,
              MAX_EMBED_BATCH,
              EMBED_QUEUE,
              Duration.ofSeconds(10)));
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
  }

  String version() {
    return artifact.version();
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
