package io.pixelstream.jobs.ingest;

import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.StandingWatches;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.core.watch.WatchTopicFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Matches every newly embedded image against the watches ({@link StandingWatches}) and emits a
 * {@link MatchEvent} per match. The watches come from the watches topic as a broadcast stream and
 * are kept, as the topic's JSON, in broadcast state; a record that is not a valid watch goes to the
 * dead-letter topic. An image tagged as a near-copy ({@link DuplicateTagger}) gets an event with
 * watch id {@link Watch#DUPLICATE}. The top-N watches' scores are operator state. Runs as one
 * subtask: a top-N watch ranks every image of the stream.
 */
final class MatchFunction extends BroadcastProcessFunction<ImageEvent, KafkaImageRecord, MatchEvent>
    implements CheckpointedFunction {

  /** Watch id to the watch's JSON. */
  static final MapStateDescriptor<String, byte[]> WATCHES =
      new MapStateDescriptor<>(
          "watches", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  private final IngestSettings settings;
  private transient VersionModels models;
  private transient StandingWatches watches;
  private transient ListState<TopScoresState> topState;
  private transient List<TopScoresState> restoredTops;
  private transient Counter matches;
  private transient Counter deadLettered;
  private transient Histogram latencyMs;

  MatchFunction(IngestSettings settings) {
    this.settings = settings;
  }

  /** The output type (Flink serialises the record as a POJO, without Kryo). */
  static TypeInformation<MatchEvent> type() {
    return TypeInformation.of(MatchEvent.class);
  }

  @Override
  public void open(OpenContext context) throws Exception {
    models = new VersionModels(settings);
    MetricGroup group = IngestMetrics.group(getRuntimeContext().getMetricGroup());
    matches = group.counter(IngestMetrics.MATCHES);
    deadLettered = group.counter(IngestMetrics.DEAD_LETTERED);
    latencyMs = IngestMetrics.histogram(group, IngestMetrics.MATCH_LATENCY_MS);
    group.gauge(IngestMetrics.WATCHES, () -> watches == null ? 0 : watches.size());
  }

  @Override
  public void processElement(ImageEvent e, ReadOnlyContext ctx, Collector<MatchEvent> out)
      throws Exception {
    StandingWatches current = watches(ctx.getBroadcastState(WATCHES));
    if (e.deleted || e.vector == null) {
      return;
    }
    List<StandingWatches.Match> found = current.match(e.vector, e.modelVersion);
    long now = System.currentTimeMillis();
    if (e.duplicateOf != null) {
      emit(out, Watch.DUPLICATE, e, e.duplicateScore, e.duplicateOf, now);
    }
    for (StandingWatches.Match m : found) {
      emit(out, m.watch().id(), e, m.score(), null, now);
    }
  }

  private void emit(
      Collector<MatchEvent> out,
      String watchId,
      ImageEvent e,
      double score,
      String duplicateOf,
      long now) {
    out.collect(
        new MatchEvent(
            watchId,
            e.id,
            score,
            e.modelVersion,
            e.eventTime,
            e.ingestTime,
            now,
            e.topic,
            e.partition,
            e.offset,
            duplicateOf));
    matches.inc();
    latencyMs.update(now - e.eventTime);
  }

  @Override
  public void processBroadcastElement(KafkaImageRecord r, Context ctx, Collector<MatchEvent> out)
      throws Exception {
    BroadcastState<String, byte[]> state = ctx.getBroadcastState(WATCHES);
    StandingWatches current = watches(state);
    String id = r.key == null ? null : new String(r.key, StandardCharsets.UTF_8);
    if (id == null || !Watch.ID.matcher(id).matches()) {
      deadLetter(ctx, r, "no key, or not 1-64 characters of [A-Za-z0-9._:-]");
      return;
    }
    if (r.value == null) {
      state.remove(id);
      current.remove(id);
      return;
    }
    Watch watch;
    try {
      watch = WatchTopicFormat.readWatch(r.value);
    } catch (IllegalArgumentException e) {
      deadLetter(ctx, r, e.getMessage());
      return;
    }
    if (!watch.id().equals(id)) {
      deadLetter(ctx, r, "the key '" + id + "' is not the watch's id '" + watch.id() + "'");
      return;
    }
    state.put(id, r.value);
    current.put(watch);
  }

  private void deadLetter(Context ctx, KafkaImageRecord r, String message) {
    deadLettered.inc();
    ctx.output(
        DecodeFunction.DEAD_LETTERS,
        DeadLetter.of(r, "BAD_WATCH: " + message, settings.dlqMaxRecordBytes()));
  }

  /** The watches, read from broadcast state on first use after a start or restore. */
  private StandingWatches watches(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
    if (watches == null) {
      StandingWatches loaded = new StandingWatches(models);
      for (Map.Entry<String, byte[]> e : state.immutableEntries()) {
        loaded.put(WatchTopicFormat.readWatch(e.getValue())); // checked when it was put
      }
      if (restoredTops != null && !restoredTops.isEmpty()) {
        Map<String, float[]> scores = new HashMap<>();
        for (TopScoresState t : restoredTops) {
          scores.put(t.watchId, t.scores);
        }
        loaded.restoreTops(restoredTops.get(0).version, scores);
      }
      restoredTops = null;
      watches = loaded;
    }
    return watches;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    topState.clear();
    if (watches == null) {
      if (restoredTops != null) {
        topState.addAll(restoredTops); // not one element since the restore
      }
      return;
    }
    String version = watches.topVersion();
    for (Map.Entry<String, float[]> e : watches.topScores().entrySet()) {
      topState.add(new TopScoresState(version, e.getKey(), e.getValue()));
    }
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    topState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("top-scores", TopScoresState.class));
    restoredTops = new ArrayList<>();
    for (TopScoresState t : topState.get()) {
      restoredTops.add(t);
    }
  }

  @Override
  public void close() throws Exception {
    if (models != null) {
      models.close();
    }
    super.close();
  }

  /** One top-N watch's admitted scores, in operator state. A Flink POJO. */
  public static class TopScoresState {
    public String version;
    public String watchId;
    public float[] scores;

    public TopScoresState() {}

    TopScoresState(String version, String watchId, float[] scores) {
      this.version = version;
      this.watchId = watchId;
      this.scores = scores;
    }
  }
}
