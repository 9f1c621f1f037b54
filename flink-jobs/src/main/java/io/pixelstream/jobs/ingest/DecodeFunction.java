package io.pixelstream.jobs.ingest;

import io.pixelstream.core.ingest.ImagePreparer;
import io.pixelstream.core.ingest.InputRules;
import io.pixelstream.core.ingest.PreparedImage;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelArtifact;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Validates, decodes and preprocesses each input record (core's {@link ImagePreparer}); a refused
 * record goes to {@link #DEAD_LETTERS} with its reason and the stream goes on. A tombstone becomes
 * a delete event.
 */
public final class DecodeFunction extends ProcessFunction<KafkaImageRecord, ImageEvent> {

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>(
          "dead-letters",
          org.apache.flink.api.common.typeinfo.TypeInformation.of(DeadLetter.class));

  private final IngestSettings settings;
  private transient ImagePreparer preparer;
  private transient String preparedFor;
  private transient Counter recordsIn;
  private transient Counter deadLettered;
  private transient Counter decodeNanos;

  public DecodeFunction(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) throws Exception {
    ModelArtifact model = settings.startModel();
    preparer = new ImagePreparer(settings.imageLimits(), model.manifest());
    preparedFor = model.version();
    MetricGroup group = IngestMetrics.group(getRuntimeContext().getMetricGroup());
    recordsIn = group.counter(IngestMetrics.RECORDS_IN);
    deadLettered = group.counter(IngestMetrics.DEAD_LETTERED);
    decodeNanos = group.counter(IngestMetrics.DECODE_NANOS);
  }

  @Override
  public void processElement(KafkaImageRecord record, Context ctx, Collector<ImageEvent> out) {
    recordsIn.inc();
    ImageEvent event = new ImageEvent();
    long start = System.nanoTime();
    try {
      if (record.value == null) {
        event.id = InputRules.imageId(record.key);
        event.deleted = true;
      } else {
        PreparedImage p =
            preparer.prepare(
                record.key, record.value, record.header("label"), record.header("source"));
        event.id = p.id();
        event.label = p.label();
        event.source = p.source();
        event.input = p.input();
        event.preparedFor = preparedFor;
        event.image = p.bytes();
      }
    } catch (RejectedInputException e) {
      deadLettered.inc();
      ctx.output(DEAD_LETTERS, DeadLetter.of(record, e.describe(), settings.dlqMaxRecordBytes()));
      return;
    } finally {
      decodeNanos.inc(System.nanoTime() - start);
    }
    event.eventTime = record.timestamp;
    event.topic = record.topic;
    event.partition = record.partition;
    event.offset = record.offset;
    out.collect(event);
  }
}
