package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.runtime.ModelRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedBatcherTest {

  @TempDir Path dir;
  private ModelRegistry registry;
  private IngestSettings settings;
  private final EmbedBatcher.Metrics metrics =
      new EmbedBatcher.Metrics(
          new SimpleCounter(),
          new SimpleCounter(),
          new SimpleCounter(),
          new SimpleCounter(),
          new DescriptiveStatisticsHistogram(100),
          new DescriptiveStatisticsHistogram(100),
          new DescriptiveStatisticsHistogram(100),
          new DescriptiveStatisticsHistogram(100));
  private final List<ImageEvent> out = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  private static ModelArtifact model(String version, Normalization norm) {
    return RandomModel.create(
        version, "2026-01-01T00:00:00Z", EncoderSpec.fashionMnist(), norm, 4, 11);
  }

  @BeforeEach
  void registry() throws Exception {
    registry = new ModelRegistry(dir.resolve("registry"));
    registry.register(model("v1", Normalization.unit(1)));
    registry.register(
        model("v2", Normalization.unit(1).withPerImage(Normalization.PerImage.UNIT_RMS)));
    registry.makeCurrent("v1", "promote", Map.of());
    Configuration conf = new Configuration();
    conf.set(IngestOptions.BOOTSTRAP_SERVERS, "127.0.0.1:1");
    conf.set(IngestOptions.MODEL_REGISTRY, registry.root().toString());
    conf.set(IngestOptions.INDEX_ROOT, dir.resolve("index").toString());
    settings = IngestSettings.from(conf);
  }

  private ImageEvent prepared(String id, byte[] png, long offset) throws Exception {
    ImageEvent e = new ImageEvent();
    e.id = id;
    e.image = png;
    e.label = 4;
    e.topic = "images";
    e.offset = offset;
    try (ModelRuntime r = settings.runtime(registry.read("v1"))) {
      e.input = r.prepare(id.getBytes(StandardCharsets.UTF_8), png, null, null).input();
      e.preparedFor = r.version();
    }
    return e;
  }

  @Test
  void anImageThatNoLongerPreparesGoesToTheDeadLettersWithItsReason() throws Exception {
    registry.makeCurrent("v2", "promote", Map.of());
    ImageEvent good = prepared("good", TestImages.grayPng(28, 28, 1), 7);
    ImageEvent broken = prepared("broken", TestImages.grayPng(28, 28, 2), 8);
    broken.image = TestImages.pngHeaderOnly(28, 28); // bytes that no longer decode
    try (EmbedBatcher batcher =
        new EmbedBatcher(settings, settings.runtime(registry.read("v2")), metrics)) {
      batcher.add(good, out::add, deadLetters::add);
      batcher.add(broken, out::add, deadLetters::add);
      batcher.flush(out::add);
    }
    assertThat(out).extracting(e -> e.id).containsExactly("good");
    assertThat(out.get(0).modelVersion).isEqualTo("v2");
    assertThat(metrics.reprepared().getCount()).isEqualTo(1);
    assertThat(metrics.reprepareFailed().getCount()).isEqualTo(1);
    assertThat(deadLetters).hasSize(1);
    DeadLetter letter = deadLetters.get(0);
    assertThat(letter.error).contains("prepared for model v1").contains("v2");
    assertThat(new String(letter.record.key, StandardCharsets.UTF_8)).isEqualTo("broken");
    assertThat(letter.record.offset).isEqualTo(8);
    assertThat(letter.record.header("label")).isEqualTo("4".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theEmbedStepFollowsTheVersionTheDecodeStepPreparedFor() throws Exception {
    ImageEvent old = prepared("old", TestImages.grayPng(28, 28, 3), 1);
    ImageEvent fresh;
    try (ModelRuntime v2 = settings.runtime(registry.read("v2"))) {
      fresh = new ImageEvent();
      fresh.id = "fresh";
      fresh.image = TestImages.grayPng(28, 28, 4);
      fresh.input =
          v2.prepare("fresh".getBytes(StandardCharsets.UTF_8), fresh.image, null, null).input();
      fresh.preparedFor = "v2";
    }
    registry.makeCurrent("v2", "promote", Map.of());
    try (EmbedBatcher batcher =
        new EmbedBatcher(settings, settings.runtime(registry.read("v1")), metrics)) {
      batcher.add(old, out::add, deadLetters::add);
      batcher.add(fresh, out::add, deadLetters::add);
      assertThat(batcher.version()).isEqualTo("v2");
      batcher.flush(out::add);
    }
    assertThat(out)
        .extracting(e -> e.id + "@" + e.modelVersion)
        .containsExactly("old@v1", "fresh@v2");
    assertThat(metrics.reprepared().getCount()).isZero();
    assertThat(deadLetters).isEmpty();
  }
}
