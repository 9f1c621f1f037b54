package io.pixelstream.jobs.ingest;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.ingest.ImagePreparer;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.registry.ModelRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * Embeds images in batches with the DJL encoder and assigns each its nearest k-means centroid. A
 * batch goes to the encoder when it holds {@code embed.batch-size} images or its first image has
 * waited {@code embed.batch-timeout}; it is also flushed before every checkpoint barrier and at the
 * end of input, so the operator holds no state and loses nothing. Deletes travel through the same
 * buffer so they keep their order with the puts of the same id.
 *
 * <p>With {@code model.registry} set, the operator looks at the registry's current version every
 * {@code model.poll-interval} and, when another was promoted, embeds from then on with the new
 * encoder (each event carries the version that embedded it; the sink re-embeds a straggler). A
 * version that cannot be loaded is logged and the old encoder keeps working.
 */
public final class EmbedOperator extends AbstractStreamOperator<ImageEvent>
    implements OneInputStreamOperator<ImageEvent, ImageEvent> {

  private final IngestSettings settings;
  private transient ImageEncoder encoder;
  private transient Centroids centroids;
  private transient String modelVersion;
  private transient ImagePreparer preparer;
  private transient ModelRegistry registry;
  private transient Map<String, Boolean> samePreprocessing;
  private transient String refusedVersion;
  private transient Counter reprepareFailed;
  private transient List<ImageEvent> buffer;
  private transient int pendingImages;
  private transient boolean timerSet;
  private transient Counter embedded;
  private transient Counter embedNanos;
  private transient Histogram batchSizes;
  private transient Histogram embedLatency;

  public EmbedOperator(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open() throws Exception {
    super.open();
    use(settings.startModel());
    buffer = new ArrayList<>(settings.batchSize());
    MetricGroup group = IngestMetrics.group(getMetricGroup());
    embedded = group.counter(IngestMetrics.EMBEDDED);
    embedNanos = group.counter(IngestMetrics.EMBED_NANOS);
    reprepareFailed = group.counter(IngestMetrics.REPREPARE_FAILED);
    batchSizes = IngestMetrics.histogram(group, IngestMetrics.BATCH_SIZE);
    embedLatency = IngestMetrics.histogram(group, IngestMetrics.EMBED_LATENCY_MS);
    if (settings.followsRegistry()) {
      registry = new ModelRegistry(Path.of(settings.modelRegistry()));
      schedulePoll();
    }
  }

  private void use(ModelArtifact artifact) {
    ImageEncoder next = ImageEncoder.open(artifact, settings.device());
    ImageEncoder previous = encoder;
    encoder = next;
    centroids = new Centroids(artifact.manifest().clustering().centroids());
    modelVersion = artifact.version();
    preparer = new ImagePreparer(settings.imageLimits(), artifact.manifest());
    samePreprocessing = new HashMap<>();
    if (previous != null) {
      previous.close();
    }
    LOG.info("encoder for model {} runs on {}", modelVersion, encoder.device());
  }

  private void schedulePoll() {
    ProcessingTimeService time = getProcessingTimeService();
    time.registerTimer(
        time.getCurrentProcessingTime() + settings.modelPollMs(), t -> pollRegistry());
  }

  private void pollRegistry() {
    String current = null; // stays null when the pointer itself cannot be read: retry next poll
    try {
      current = registry.current().orElse(modelVersion);
      if (!current.equals(modelVersion) && !current.equals(refusedVersion)) {
        flush(); // what was buffered is embedded with the model it arrived under
        use(registry.read(current));
      }
    } catch (IOException | RuntimeException e) {
      refusedVersion = current;
      LOG.error("cannot load model {}; still embedding with {}", current, modelVersion, e);
    }
    schedulePoll();
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
      reprepareStragglers();
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
      embedNanos.inc(System.nanoTime() - start);
    }
    for (ImageEvent e : buffer) {
      output.collect(new StreamRecord<>(e));
    }
    buffer.clear();
    pendingImages = 0;
  }

  /**
   * Images decoded under another model whose preprocessing differs from the current one's (input
   * shape, normalisation) are prepared again from their bytes; one that fails is logged, counted
   * and left out (its bytes decoded once, so this does not happen in practice).
   */
  private void reprepareStragglers() {
    for (var it = buffer.iterator(); it.hasNext(); ) {
      ImageEvent e = it.next();
      if (e.deleted || modelVersion.equals(e.preparedFor) || samePreprocessingAs(e.preparedFor)) {
        continue;
      }
      try {
        e.input =
            preparer.prepare(e.id.getBytes(StandardCharsets.UTF_8), e.image, null, null).input();
        e.preparedFor = modelVersion;
      } catch (RejectedInputException ex) {
        LOG.error(
            "image {} no longer prepares under model {}: {}", e.id, modelVersion, ex.getMessage());
        reprepareFailed.inc();
        pendingImages--;
        it.remove();
      }
    }
  }

  private boolean samePreprocessingAs(String version) {
    return samePreprocessing.computeIfAbsent(
        version,
        v -> {
          if (registry == null) {
            return true; // a fixed model: everything was prepared for it
          }
          try {
            ModelManifest other = registry.read(v).manifest();
            ModelManifest mine = encoder.manifest();
            return other.input().equals(mine.input())
                && other.normalization().equals(mine.normalization());
          } catch (IOException ex) {
            return false;
          }
        });
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
