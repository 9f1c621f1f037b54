package io.pixelstream.core.runtime;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.embed.EncoderPool;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.ingest.ImagePreparer;
import io.pixelstream.core.ingest.PreparedImage;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One model version as every stage runs it: the artifact, the decoder and preprocessing its input
 * needs, its encoder and its k-means centroids. The ingestion job's decode, embed and sink stages,
 * the backfill, the query API and the trainer's evaluation all go through this class, so none of
 * them can pair an encoder with another model's preprocessing or centroids.
 *
 * <p>Preparation ({@link #prepare}, {@link #preprocess}) is thread-safe and never opens the
 * encoder; the encoder opens on the first {@link #embed} and belongs to the calling thread (for
 * many threads, {@link #openPool}).
 *
 * <pre>{@code
 * try (ModelRuntime model = ModelRuntime.of(artifact, ImageLimits.DEFAULT, DeviceChoice.AUTO)) {
 *   float[] input = model.prepare(key, pngBytes, null, null).input();
 *   float[] vector = model.embed(new float[][] {input})[0];
 *   int cluster = model.centroids().nearest(vector);
 * }
 * }</pre>
 */
public final class ModelRuntime implements AutoCloseable {

  private final ModelArtifact artifact;
  private final ImageEncoder.DeviceChoice device;
  private final ImageDecoder decoder;
  private final ImagePreprocessor preprocessor;
  private final ImagePreparer preparer;
  private final Centroids centroids;
  private ImageEncoder encoder;

  private ModelRuntime(
      ModelArtifact artifact, ImageLimits limits, ImageEncoder.DeviceChoice device) {
    this.artifact = artifact;
    this.device = device;
    ModelManifest m = artifact.manifest();
    this.decoder = new ImageDecoder(limits);
    this.preprocessor = new ImagePreprocessor(m.input(), m.normalization(), m.resize());
    this.preparer = new ImagePreparer(decoder, preprocessor);
    this.centroids = new Centroids(m.clustering().centroids());
  }

  /**
   * The runtime of {@code artifact} (already checked by {@code ModelArtifacts.read}); cheap until
   * the first {@link #embed}.
   *
   * @param limits what an input image may be (bytes, sides, pixels)
   * @param device where the encoder runs
   */
  public static ModelRuntime of(
      ModelArtifact artifact, ImageLimits limits, ImageEncoder.DeviceChoice device) {
    return new ModelRuntime(artifact, limits, device);
  }

  public String version() {
    return artifact.version();
  }

  public ModelArtifact artifact() {
    return artifact;
  }

  public ModelManifest manifest() {
    return artifact.manifest();
  }

  public Centroids centroids() {
    return centroids;
  }

  /** Validates one input record and makes its encoder input; see {@link ImagePreparer}. */
  public PreparedImage prepare(byte[] key, byte[] value, byte[] labelHeader, byte[] sourceHeader)
      throws RejectedInputException {
    return preparer.prepare(key, value, labelHeader, sourceHeader);
  }

  /** Decodes encoded image bytes within the limits. */
  public BufferedImage decode(byte[] bytes) throws RejectedInputException {
    return decoder.decode(bytes);
  }

  /** The encoder input of a decoded image. */
  public float[] preprocess(BufferedImage image) {
    return preprocessor.preprocess(image);
  }

  /**
   * True when {@code other} turns an image into the same encoder input (input shape, resizing and
   * normalisation), so what was prepared for one serves the other.
   */
  public boolean preparesLike(ModelManifest other) {
    ModelManifest mine = manifest();
    return other.input().equals(mine.input())
        && other.resize() == mine.resize()
        && other.normalization().equals(mine.normalization());
  }

  /**
   * Embeds a batch of prepared inputs with this thread's encoder (opened on first use), in forward
   * passes of at most {@link ImageEncoder#maxBatch} inputs.
   */
  public float[][] embed(float[][] inputs) {
    return encoder().embedAll(inputs, ImageEncoder.maxBatch(manifest().input()));
  }

  /** Embeds any number of prepared inputs, {@code batchSize} (at most the cap) per encoder call. */
  public float[][] embedAll(float[][] inputs, int batchSize) {
    return encoder()
        .embedAll(inputs, Math.min(batchSize, ImageEncoder.maxBatch(manifest().input())));
  }

  /** Where the encoder runs, e.g. {@code cpu()}; opens it if needed. */
  public String device() {
    return encoder().device().toString();
  }

  /** A fresh encoder of this model, closed by the caller. */
  public ImageEncoder openEncoder() {
    return ImageEncoder.open(artifact, device);
  }

  /** An {@link EncoderPool} of {@code workers} encoders of this model; see there. */
  public EncoderPool openPool(int workers, int maxBatch, int queueCapacity, Duration wait) {
    return new EncoderPool(this::openEncoder, workers, maxBatch, queueCapacity, wait);
  }

  /**
   * Re-embeds indexed images from their stored bytes: decode, preprocessing, one batched forward
   * pass, nearest centroid. Label, source, event time and bytes are kept.
   *
   * @return one image per input, in order; null where the stored bytes no longer decode
   */
  public List<IndexedImage> reembed(List<IndexedImage> images) {
    List<float[]> inputs = new ArrayList<>(images.size());
    List<Integer> at = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      byte[] bytes = images.get(i).image();
      if (bytes == null) {
        continue;
      }
      try {
        inputs.add(preprocess(decode(bytes)));
        at.add(i);
      } catch (RejectedInputException e) {
        // left null: the caller counts it as failed
      }
    }
    List<IndexedImage> out = new ArrayList<>(Collections.nCopies(images.size(), null));
    if (inputs.isEmpty()) {
      return out;
    }
    float[][] vectors = embed(inputs.toArray(float[][]::new));
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
              version(),
              now,
              s.eventTime(),
              s.image(),
              s.duplicateOf()));
    }
    return out;
  }

  private ImageEncoder encoder() {
    if (encoder == null) {
      encoder = openEncoder();
    }
    return encoder;
  }

  /** Closes the encoder, if one was opened. */
  @Override
  public void close() {
    if (encoder != null) {
      encoder.close();
      encoder = null;
    }
  }
}
