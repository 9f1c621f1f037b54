package io.pixelstream.jobs.ingest;

import io.pixelstream.core.ingest.InputRules;
import io.pixelstream.core.ingest.PreparedImage;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.runtime.VersionFollower;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Validates, decodes and preprocesses each input record with the current model's {@link
 * ModelRuntime}; a refused record goes to {@link #DEAD_LETTERS} with its reason and the stream goes
 * on. A tombstone becomes a delete event.
 *
 * <p>With {@code model.registry} set, this stage leads the job's model changes: it looks at the
 * registry's current version every {@code model.poll-interval} and prepares from then on for the
 * new one, and each event names the version it was prepared for ({@link ImageEvent#preparedFor}),
 * which the embed step and the sink follow. So a record is decoded once, and decoded, embedded and
 * written with one model.
 */
public final class DecodeFunction extends ProcessFunction<KafkaImageRecord, ImageEvent> {

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  private final IngestSettings settings;
  private transient ModelRuntime runtime;
  private transient ModelRegistry registry;
  private transient VersionFollower follower;
  private transient Counter recordsIn;
  private transient Counter deadLettered;
  private transient Counter decodeNanos;

  public DecodeFunction(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) throws Exception {
    runtime = settings.runtime(settings.startModel());
    registry = settings.registry();
    follower = settings.follower("decode", runtime.version());
    MetricGroup group = IngestMetrics.group(getRuntimeContext().getMetricGroup());
    recordsIn = group.counter(IngestMetrics.RECORDS_IN);
    deadLettered = group.counter(IngestMetrics.DEAD_LETTERED);
    decodeNanos = group.counter(IngestMetrics.DECODE_NANOS);
  }

  /** Moves to the registry's current version when it changed (at most once per poll interval). */
  private void followRegistry() {
    if (follower != null) {
      follower.pollAtMostEvery(
          settings.modelPollMs(), version -> runtime = settings.runtime(registry.read(version)));
    }
  }

  @Override
  public void processElement(KafkaImageRecord record, Context ctx, Collector<ImageEvent> out) {
    recordsIn.inc();
    followRegistry();
    ImageEvent event = new ImageEvent();
    long start = System.nanoTime();
    try {
      if (record.value == null) {
        event.id = InputRules.imageId(record.key);
        event.deleted = true;
      } else {
        PreparedImage p =
            runtime.prepare(
                record.key, record.value, record.header("label"), record.header("source"));
        event.id = p.id();
        event.label = p.label();
        event.source = p.source();
        event.input = p.input();
        event.preparedFor = runtime.version();
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
