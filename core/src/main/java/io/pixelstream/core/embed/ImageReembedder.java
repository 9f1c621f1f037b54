package io.pixelstream.core.embed;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardBackfill;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelArtifact;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-embeds indexed images with another model from their stored bytes: decode, that model's
 * preprocessing, one batched forward pass, nearest centroid. What a backfill into a new model
 * version runs; the other stored fields (label, source, event time, bytes) are kept.
 */
public final class ImageReembedder implements ShardBackfill.Reembedder, AutoCloseable {

  private final String version;
  private final ImageDecoder decoder;
  private final ImagePreprocessor preprocessor;
  private final ImageEncoder encoder;
  private final Centroids centroids;

  private ImageReembedder(ModelArtifact artifact, ImageLimits limits, ImageEncoder encoder) {
    this.version = artifact.version();
    this.decoder = new ImageDecoder(limits);
    this.preprocessor =
        new ImagePreprocessor(artifact.manifest().input(), artifact.manifest().normalization());
    this.encoder = encoder;
    this.centroids = new Centroids(artifact.manifest().clustering().centroids());
  }

  /** Opens the encoder of {@code artifact} on {@code device}. */
  public static ImageReembedder open(
      ModelArtifact artifact, ImageEncoder.DeviceChoice device, ImageLimits limits) {
    return new ImageReembedder(artifact, limits, ImageEncoder.open(artifact, device));
  }

  /** The model version the images are re-embedded with. */
  public String version() {
    return version;
  }

  @Override
  public List<IndexedImage> reembed(List<IndexedImage> images) {
    List<float[]> inputs = new ArrayList<>(images.size());
    List<Integer> at = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      byte[] bytes = images.get(i).image();
      if (bytes == null) {
        continue;
      }
      try {
        inputs.add(preprocessor.preprocess(decoder.decode(bytes)));
        at.add(i);
      } catch (RejectedInputException e) {
        // left null: the caller counts it as failed
      }
    }
    List<IndexedImage> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(null);
    }
    if (inputs.isEmpty()) {
      return out;
    }
    float[][] vectors = encoder.embed(inputs.toArray(float[][]::new));
    long now = System.currentTimeMillis();
    for (int j = 0; j < vectors.length; j++) {
      IndexedImage s = images.get(at.get(j));
      out.set(
          at.get(j),
          new IndexedImage(
              s.id(),
              vectors[j],
              centroids.nearest(vectors[j]),
              s.label(),
              s.source(),
              version,
              now,
              s.eventTime(),
              s.image()));
    }
    return out;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
