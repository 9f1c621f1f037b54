package io.pixelstream.jobs.ingest;

import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Embeds images in batches ({@link EmbedBatcher}). A batch goes to the encoder when it holds {@code
 * embed.batch-size} images or its first image has waited {@code embed.batch-timeout}; it is also
 * flushed before every checkpoint barrier and at the end of input, so the operator holds no state
 * and loses nothing. Images that no longer prepare under the model this step runs go to {@link
 * DecodeFunction#DEAD_LETTERS}.
 */
public final class EmbedOperator extends AbstractStreamOperator<ImageEvent>
    implements OneInputStreamOperator<ImageEvent, ImageEvent> {

  private final IngestSettings settings;
  private transient EmbedBatcher batcher;
  private transient boolean timerSet;

  public EmbedOperator(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open() throws Exception {
    super.open();
    MetricGroup group = IngestMetrics.group(getMetricGroup());
    batcher =
        new EmbedBatcher(
            settings,
            settings.runtime(settings.startModel()),
            new EmbedBatcher.Metrics(
                group.counter(IngestMetrics.EMBEDDED),
                group.counter(IngestMetrics.EMBED_NANOS),
                group.counter(IngestMetrics.REPREPARED),
                group.counter(IngestMetrics.REPREPARE_FAILED),
                IngestMetrics.histogram(group, IngestMetrics.BATCH_SIZE),
                IngestMetrics.histogram(group, IngestMetrics.EMBED_LATENCY_MS),
                IngestMetrics.histogram(group, IngestMetrics.UNTIL_EMBED_MS),
                IngestMetrics.histogram(group, IngestMetrics.BATCH_WAIT_MS)));
  }

  @Override
  public void processElement(StreamRecord<ImageEvent> element) {
    batcher.add(element.getValue(), this::emit, this::deadLetter);
    if (batcher.pendingImages() >= settings.batchSize()
        || batcher.buffered() >= 4 * settings.batchSize()) {
      flush();
    } else if (!timerSet && batcher.buffered() > 0) {
      timerSet = true;
      long at = getProcessingTimeService().getCurrentProcessingTime() + settings.batchTimeoutMs();
      getProcessingTimeService().registerTimer(at, time -> flushOnTimer());
    }
  }

  private void emit(ImageEvent e) {
    output.collect(new StreamRecord<>(e));
  }

  private void deadLetter(DeadLetter letter) {
    output.collect(DecodeFunction.DEAD_LETTERS, new StreamRecord<>(letter));
  }

  private void flushOnTimer() {
    timerSet = false;
    flush();
  }

  private void flush() {
    batcher.flush(this::emit);
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

  @Override
  public void close() throws Exception {
    try {
      if (batcher != null) {
        batcher.close();
      }
    } finally {
      super.close();
    }
  }
}
