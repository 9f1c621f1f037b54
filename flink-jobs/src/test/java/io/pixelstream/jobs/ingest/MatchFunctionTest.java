package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.core.watch.WatchTopicFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatchFunctionTest {

  @TempDir static Path work;

  private static IngestSettings settings;
  private static ModelArtifact model;
  private static byte[] png0;
  private static float[] vector0;
  private static float[] vector1;

  @BeforeAll
  static void model() throws Exception {
    model = IngestFixtures.model(work.resolve("model"));
    Configuration conf =
        IngestFixtures.settings("127.0.0.1:1", work.resolve("model"), work, 1, false);
    conf.set(IngestOptions.WATCH_ENABLED, true);
    settings = IngestSettings.from(conf);
    LabelledImages images = IngestFixtures.testImages(2);
    png0 = IngestFixtures.png(images, 0);
    try (ModelRuntime runtime = settings.runtime(model)) {
      float[][] vectors =
          runtime.embed(
              new float[][] {
                runtime.preprocess(runtime.decode(png0)),
                runtime.preprocess(runtime.decode(IngestFixtures.png(images, 1)))
              });
      vector0 = vectors[0];
      vector1 = vectors[1];
    }
  }

  private static BroadcastOperatorTestHarness<ImageEvent, KafkaImageRecord, MatchEvent> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
        new MatchFunction(settings), MatchFunction.WATCHES);
  }

  private static KafkaImageRecord watchRecord(String key, byte[] value) {
    KafkaImageRecord r = new KafkaImageRecord();
    r.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    r.value = value;
    r.topic = "images.watches";
    r.offset = 3;
    return r;
  }

  private static KafkaImageRecord watch(String id, Double threshold, Integer top) {
    return watchRecord(
        id, WatchTopicFormat.write(new Watch(id, "n", png0, null, threshold, top, 1L)));
  }

  private static ImageEvent image(String id, float[] vector, long offset) {
    ImageEvent e = new ImageEvent();
    e.id = id;
    e.vector = vector;
    e.modelVersion = model.version();
    e.eventTime = 1000;
    e.ingestTime = 1100;
    e.topic = "images";
    e.partition = 1;
    e.offset = offset;
    return e;
  }

  @Test
  void anImageMatchesAWatchOfItselfWithItsPositionAndModel() throws Exception {
    try (var h = harness()) {
      h.processBroadcastElement(watch("w1", 0.999, null), 1);
      h.processElement(image("a", vector0, 7), 2);
      h.processElement(image("b", vector1, 8), 3);

      List<MatchEvent> out = h.extractOutputValues();
      assertThat(out).hasSize(1);
      MatchEvent m = out.get(0);
      assertThat(m.watchId()).isEqualTo("w1");
      assertThat(m.imageId()).isEqualTo("a");
      assertThat(m.score()).isGreaterThan(0.999);
      assertThat(m.modelVersion()).isEqualTo(model.version());
      assertThat(m.identity()).isEqualTo("w1|images|1|7");
      assertThat(m.eventTime()).isEqualTo(1000);
      assertThat(m.ingestTime()).isEqualTo(1100);
    }
  }

  @Test
  void aDeletedWatchMatchesNoMore() throws Exception {
    try (var h = harness()) {
      h.processBroadcastElement(watch("w1", 0.999, null), 1);
      h.processBroadcastElement(watchRecord("w1", null), 2);
      h.processElement(image("a", vector0, 7), 3);
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.getBroadcastState(MatchFunction.WATCHES).contains("w1")).isFalse();
    }
  }

  @Test
  void recordsThatAreNoValidWatchGoToTheDeadLettersWithTheReason() throws Exception {
    try (var h = harness()) {
      h.processBroadcastElement(watchRecord(null, new byte[] {1}), 1);
      h.processBroadcastElement(watchRecord("w1", "{".getBytes(StandardCharsets.UTF_8)), 2);
      byte[] w2 = WatchTopicFormat.write(new Watch("w2", "n", png0, null, 0.5, null, 1L));
      h.processBroadcastElement(watchRecord("other", w2), 3);
      h.processBroadcastElement(watch("fine", 0.5, null), 4);

      List<String> errors =
          h.getSideOutput(DecodeFunction.DEAD_LETTERS).stream()
              .map(StreamRecord::getValue)
              .map(d -> d.error)
              .toList();
      assertThat(errors).hasSize(3);
      assertThat(errors.get(0)).startsWith("BAD_WATCH: no key");
      assertThat(errors.get(1)).startsWith("BAD_WATCH: bad Watch: ");
      assertThat(errors.get(2)).isEqualTo("BAD_WATCH: the key 'other' is not the watch's id 'w2'");
      assertThat(h.getBroadcastState(MatchFunction.WATCHES).contains("fine")).isTrue();
    }
  }

  @Test
  void imagesOfANewModelVersionAreMatchedWithTheWatchesReembeddedByIt() throws Exception {
    Path regWork = work.resolve("switch");
    ModelRegistry registry = IngestFixtures.registry(regWork, "v1", "v2");
    IngestSettings followed =
        IngestSettings.from(
            withWatches(
                IngestFixtures.registryConf("127.0.0.1:1", registry, regWork, "t", 1, false)));
    float[] byV1 = embed(followed, registry.read("v1"), png0);
    float[] byV2 = embed(followed, registry.read("v2"), png0);
    try (var h =
        ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
            new MatchFunction(followed), MatchFunction.WATCHES)) {
      h.processBroadcastElement(watch("w1", 0.999, null), 1);
      ImageEvent first = image("a", byV1, 1);
      first.modelVersion = "v1";
      ImageEvent second = image("b", byV2, 2);
      second.modelVersion = "v2";
      h.processElement(first, 2);
      h.processElement(second, 3);
      assertThat(h.extractOutputValues())
          .extracting(MatchEvent::imageId, MatchEvent::modelVersion)
          .containsExactly(tuple("a", "v1"), tuple("b", "v2"));
    }
    // the two models embed the same image far apart: a watch embedded by v1 would not match b
    VectorSimilarityFunction similarity =
        VectorSimilarityFunction.valueOf(registry.read("v1").manifest().similarity());
    assertThat(similarity.compare(byV1, byV2)).isLessThan(0.999f);
  }

  private static Configuration withWatches(Configuration conf) {
    conf.set(IngestOptions.WATCH_ENABLED, true);
    return conf;
  }

  private static float[] embed(IngestSettings s, ModelArtifact artifact, byte[] png)
      throws Exception {
    try (ModelRuntime runtime = s.runtime(artifact)) {
      return runtime.embed(new float[][] {runtime.preprocess(runtime.decode(png))})[0];
    }
  }

  @Test
  void topWatchScoresSurviveASnapshotAndRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.processBroadcastElement(watch("top1", null, 1), 1);
      h.processElement(image("a", vector0, 7), 2);
      assertThat(h.extractOutputValues()).hasSize(1);
      snapshot = h.snapshot(1, 3);
    }
    try (var restored =
        new BroadcastOperatorTestHarness<ImageEvent, KafkaImageRecord, MatchEvent>(
            new CoBroadcastWithNonKeyedOperator<>(
                new MatchFunction(settings), List.of(MatchFunction.WATCHES)),
            1,
            1,
            0)) {
      restored.setup();
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(image("b", vector1, 8), 4);
      assertThat(restored.extractOutputValues()).as("b scores below a, the best so far").isEmpty();
    }
    try (var fresh = harness()) {
      fresh.processBroadcastElement(watch("top1", null, 1), 1);
      fresh.processElement(image("b", vector1, 8), 2);
      assertThat(fresh.extractOutputValues()).as("without the restored scores").hasSize(1);
    }
  }
}
