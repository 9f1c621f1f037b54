package io.pixelstream.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.eval.EmbeddingEvaluation;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

  private static ModelArtifact model(String version, long seed) {
    return RandomModel.create(
        version,
        "2026-01-01T00:00:00Z",
        EncoderSpec.fashionMnist(),
        Normalization.unit(1),
        3,
        seed);
  }

  @Test
  void registerPromoteRollbackAndHistory(@TempDir Path root) throws Exception {
    ModelRegistry registry = new ModelRegistry(root);
    registry.register(model("v1", 1));
    registry.register(model("v2", 2));
    assertThat(registry.versions()).containsExactly("v1", "v2");
    assertThat(registry.current()).isEmpty();

    registry.makeCurrent("v1", "promote", Map.of());
    registry.makeCurrent("v2", "promote", Map.of("reason", "better"));
    assertThat(registry.current()).contains("v2");

    assertThat(registry.rollback()).isEqualTo("v1");
    assertThat(registry.current()).contains("v1");
    assertThatThrownBy(registry::rollback).hasMessageContaining("first promoted");

    assertThat(registry.history())
        .extracting(e -> e.get("action") + ":" + e.get("version"))
        .containsExactly("register:v1", "register:v2", "promote:v1", "promote:v2", "rollback:v1");
    assertThat(registry.history().get(3))
        .containsEntry("previous", "v1")
        .containsEntry("reason", "better");
  }

  @Test
  void refusesDuplicateVersionsAndBrokenArtifacts(@TempDir Path root) throws Exception {
    ModelRegistry registry = new ModelRegistry(root);
    registry.register(model("v1", 1));
    assertThatThrownBy(() -> registry.register(model("v1", 9)))
        .isInstanceOf(FileAlreadyExistsException.class);
    Files.writeString(registry.versionDir("v1").resolve("encoder.npz"), "garbage");
    assertThatThrownBy(() -> registry.makeCurrent("v1", "promote", Map.of()))
        .hasMessageContaining("SHA-256");
    assertThat(registry.current()).isEmpty();
  }

  @Test
  void gatePromotesOnlyOnClearGainWithoutPrecisionLoss() {
    PromotionGate gate = new PromotionGate(0.01, 0.02);
    EmbeddingEvaluation.Report current = report(0.50, 0.80);
    assertThat(gate.decide(null, report(0.1, 0.1)).promote()).isTrue();
    assertThat(gate.decide(current, report(0.52, 0.79)).promote()).isTrue();
    assertThat(gate.decide(current, report(0.505, 0.90)).reason()).contains("not above the margin");
    assertThat(gate.decide(current, report(0.60, 0.70)).reason()).contains("precision@10 drops");
  }

  private static EmbeddingEvaluation.Report report(double nmi, double p10) {
    var s = new EmbeddingEvaluation.Spread(nmi, 0);
    return new EmbeddingEvaluation.Report(100, 10, 1, s, s, s, p10, p10);
  }
}
