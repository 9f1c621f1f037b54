package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import io.pixelstream.core.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink writer without Flink: writes, commits with positions, follows a promotion. */
class ShardSinkWriterTest {

  @TempDir Path dir;
  private ModelRegistry registry;
  private final ManualTime time = new ManualTime();
  private final Metrics metrics = new Metrics();

  @BeforeEach
  void models() throws Exception {
    registry = new ModelRegistry(dir.resolve("registry"));
    for (String v : List.of("v1", "v2")) {
      registry.register(
          RandomModel.create(
              v,
              "2026-01-01T00:00:00Z",
              EncoderSpec.fashionMnist(),
              Normalization.unit(1),
              4,
              v.hashCode()));
    }
    registry.makeCurrent("v1", "promote", Map.of());
  }

  private IngestSettings settings() {
    Configuration conf = new Configuration();
    conf.set(IngestOptions.BOOTSTRAP_SERVERS, "127.0.0.1:1");
    conf.set(IngestOptions.MODEL_REGISTRY, registry.root().toString());
    conf.set(IngestOptions.INDEX_ROOT, dir.resolve("index").toString());
    conf.set(IngestOptions.MODEL_POLL_INTERVAL, Duration.ofMillis(100));
    conf.set(IngestOptions.DEVICE, "cpu");
    return IngestSettings.from(conf);
  }

  private ShardSinkWriter writer(Map<String, Long> offsets, OptionalLong restored)
      throws Exception {
    return new ShardSinkWriter(settings(), 0, 1, offsets, restored, metrics, time);
  }

  private static ImageEvent image(String id, long offset, ModelArtifact model) {
    ImageEvent e = new ImageEvent();
    e.id = id;
    e.image = TestImages.grayPng(28, 28, offset);
    e.vector = new float[model.manifest().embeddingDim()];
    e.modelVersion = model.version();
    e.topic = "images";
    e.partition = 0;
    e.offset = offset;
    e.eventTime = 1000 + offset;
    return e;
  }

  private static ImageEvent delete(String id, long offset) {
    ImageEvent e = new ImageEvent();
    e.id = id;
    e.deleted = true;
    e.topic = "images";
    e.offset = offset;
    return e;
  }

  private Map<String, String> committed(String version) throws Exception {
    return ShardWriter.lastCommitData(new IndexLayout(dir.resolve("index")).shardDir(version, 0));
  }

  @Test
  void writesAndDeletesBecomeOneCommitWithTheSourcePosition() throws Exception {
    ModelArtifact v1 = registry.read("v1");
    try (ShardSinkWriter w = writer(Map.of(), OptionalLong.empty())) {
      w.write(image("a", 5, v1), null);
      w.write(image("b", 6, v1), null);
      w.write(delete("a", 7), null);
      w.flush(false);
      assertThat(w.snapshotState(1)).hasSize(1);
    }
    Map<String, String> data = committed("v1");
    assertThat(data)
        .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=7")
        .containsEntry(IndexFields.COMMIT_MODEL_VERSION, "v1")
        .containsEntry(IndexFields.COMMIT_SHARDS, "1")
        .containsEntry(IndexFields.COMMIT_RESTORED_CHECKPOINT, "");
    assertThat(metrics.count(IngestMetrics.INDEXED)).isEqualTo(2);
    assertThat(metrics.count(IngestMetrics.DELETED)).isEqualTo(1);
    assertThat(metrics.count(IngestMetrics.COMMITS)).isEqualTo(1);

    try (ShardSinkWriter w = writer(Map.of("images-0", 7L), OptionalLong.of(42))) {
      w.write(image("c", 3, v1), null); // a replayed record does not move the position back
      w.flush(false);
    }
    assertThat(committed("v1"))
        .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=7")
        .containsEntry(IndexFields.COMMIT_RESTORED_CHECKPOINT, "42");
  }

  @Test
  void writesArePublishedOnTheTimerAndMadeDurableAtTheCheckpoint() throws Exception {
    ModelArtifact v1 = registry.read("v1");
    try (ShardSinkWriter w = writer(Map.of(), OptionalLong.empty())) {
      w.write(image("a", 5, v1), null);
      w.write(image("b", 6, v1), null);
      assertThat(committed("v1")).isEmpty(); // nothing visible before the first publish
      time.advance(100); // index.publish-interval's default
      w.awaitPublish();
      assertThat(committed("v1"))
          .containsEntry(IndexFields.COMMIT_DURABLE, "false")
          .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=6");
      try (CommittedIndex index = new CommittedIndex(dir.resolve("index"), "v1")) {
        assertThat(index.documentsById()).containsOnlyKeys("a", "b");
      }
      assertThat(metrics.count(IngestMetrics.PUBLISHES)).isEqualTo(1);
      time.advance(300); // nothing new: nothing to publish
      w.awaitPublish();
      assertThat(metrics.count(IngestMetrics.PUBLISHES)).isEqualTo(1);
      assertThat(metrics.count(IngestMetrics.COMMITS)).isZero();

      w.flush(false); // the checkpoint: what was published becomes durable
      assertThat(committed("v1"))
          .doesNotContainKey(IndexFields.COMMIT_DURABLE)
          .containsEntry(IndexFields.COMMIT_SOURCE_OFFSETS, "images-0=6");
      assertThat(metrics.count(IngestMetrics.COMMITS)).isEqualTo(1);
      w.flush(false);
      assertThat(metrics.count(IngestMetrics.COMMITS)).isEqualTo(1);
    }
  }

  @Test
  void aPromotionIsBackfilledAndServedAfterTheNextCommit() throws Exception {
    ModelArtifact v1 = registry.read("v1");
    try (ShardSinkWriter w = writer(Map.of(), OptionalLong.empty())) {
      for (int i = 0; i < 6; i++) {
        w.write(image("i" + i, i, v1), null);
      }
      w.flush(false);
      registry.makeCurrent("v2", "promote", Map.of());
      time.advance(100); // the registry poll: new images go to v2, v1 is backfilled
      w.write(image("late", 6, v1), null); // embedded by v1 before the embed step moved
      time.advance(1000); // backfill steps
      w.flush(false);
      assertThat(new ServingAlias(dir.resolve("index")).read().orElseThrow().version())
          .isEqualTo("v2");
    }
    try (CommittedIndex v2 = new CommittedIndex(dir.resolve("index"), "v2")) {
      var docs = v2.documentsById();
      assertThat(docs).hasSize(7);
      docs.values()
          .forEach(d -> assertThat(d.get(0).get(IndexFields.MODEL_VERSION)).isEqualTo("v2"));
    }
    assertThat(metrics.count(IngestMetrics.STRAGGLERS_REEMBEDDED)).isEqualTo(1);
    assertThat(metrics.count(IngestMetrics.MODEL_SWITCHES)).isEqualTo(1);
  }

  /** Timers run when the test advances the clock. */
  private static final class ManualTime implements ProcessingTimeService {
    private long now;
    private final List<Map.Entry<Long, ProcessingTimeCallback>> timers = new ArrayList<>();

    @Override
    public long getCurrentProcessingTime() {
      return now;
    }

    @Override
    public ScheduledFuture<?> registerTimer(long at, ProcessingTimeCallback callback) {
      timers.add(Map.entry(at, callback));
      return null;
    }

    void advance(long ms) throws Exception {
      long until = now + ms;
      while (true) {
        Map.Entry<Long, ProcessingTimeCallback> next = null;
        for (var t : timers) {
          if (t.getKey() <= until && (next == null || t.getKey() < next.getKey())) {
            next = t;
          }
        }
        if (next == null) {
          break;
        }
        timers.remove(next);
        now = Math.max(now, next.getKey());
        next.getValue().onProcessingTime(now);
      }
      now = until;
    }
  }

  /** Keeps the counters so the test can read them. */
  private static final class Metrics extends UnregisteredMetricsGroup {
    private final Map<String, SimpleCounter> counters = new HashMap<>();

    @Override
    public Counter counter(String name) {
      return counters.computeIfAbsent(name, n -> new SimpleCounter());
    }

    @Override
    public MetricGroup addGroup(String name) {
      return this;
    }

    long count(String name) {
      return counters.getOrDefault(name, new SimpleCounter()).getCount();
    }
  }
}
