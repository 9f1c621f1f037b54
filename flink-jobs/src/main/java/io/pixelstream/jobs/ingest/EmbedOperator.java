package io.pixelstream.jobs.ingest;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Embeds images in batches with the DJL encoder and assigns each its nearest k-means centroid. A
 * batch goes to the encoder when it holds {@code embed.batch-size} images or its first image has
 * waited {@code embed.batch-timeout}; it is also flushed before every checkpoint barrier and at the
 * end of input, so the operator holds no state and loses nothing. Deletes travel through the same
 * buffer so they keep their order with the puts of the same id.
 */
public final class EmbedOperator extends AbstractStreamOperator<ImageEvent>
    implements OneInputStreamOperator<ImageEvent, ImageEvent> {

  private final IngestSettings settings;
  private transient ImageEncoder encoder;
  private transient Centroids centroids;
  private transient String modelVersion;
  private transient List<ImageEvent> buffer;
  private transient int pendingImages;
  private transient boolean timerSet;
  private transient Counter embedded;
  private transient Histogram batchSizes;
  private transient Histogram embedLatency;

  public EmbedOperator(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open() throws Exception {
    super.open();
    ModelArtifact artifact = ModelArtifacts.read(Path.of(settings.modelDir()));
    encoder = ImageEncoder.open(artifact, settings.device());
    centroids = new Centroids(artifact.manifest().clustering().centroids());
    modelVersion = artifact.version();
    buffer = new ArrayList<>(settings.batchSize());
    MetricGroup group = IngestMetrics.group(getMetricGroup());
    embedded = group.counter(IngestMetrics.EMBEDDED);
    batchSizes = IngestMetrics.histogram(group, IngestMetrics.BATCH_SIZE);
    embedLatency = IngestMetrics.histogram(group, IngestMetrics.EMBED_LATENCY_MS);
    LOG.info("encoder for model {} runs on {}", modelVersion, encoder.device());
  }

  @Override
  public void processElement(StreamRecord<ImageEvent> element) {
    ImageEvent event = element.getValue();
    buffer.add(event);
    if (!event.deleted) {
      pendingImages++;
    }
    if (pendingImages >= settings.batchSize() || buffer.size() >= 4 * settings.batchSize()) {
      flush();
    } else if (!timerSet) {
      timerSet = true;
      long at = getProcessingTimeService().getCurrentProcessingTime() + settings.batchTimeoutMs();
      getProcessingTimeService().registerTimer(at, time -> flushOnTimer());
    }
  }

  private void flushOnTimer() {
    timerSet = false;
    flush();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void flush() {
    if (buffer.isEmpty()) {
      return;
    }
    if (pendingImages > 0) {
      float[][] inputs = new float[pendingImages][];
      int i = 0;
      for (ImageEvent e : buffer) {
        if (!e.deleted) {
          inputs[i++] = e.input;
        }
      }
      long start = System.nanoTime();
      float[][] vectors = encoder.embed(inputs);
      embedLatency.update((System.nanoTime() - start) / 1_000_000);
      batchSizes.update(inputs.length);
      embedded.inc(inputs.length);
      long now = System.currentTimeMillis();
      i = 0;
      for (ImageEvent e : buffer) {
        if (!e.deleted) {
          e.vector = vectors[i++];
          e.cluster = centroids.nearest(e.vector);
          e.input = null;
          e.modelVersion = modelVersion;
          e.ingestTime = now;
        }
      }
    }
    for (ImageEvent e : buffer) {
      output.collect(new StreamRecord<>(e));
    }
    buffer.clear();
    pendingImages = 0;
  }

  @Override
  public void close() throws Exception {
    try {
      if (encoder != null) {
        encoder.close();
      }
    } finally {
      super.close();
    }
  }
}
