package io.pixelstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.pixelstream.core.SchemaFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactsTest {

  private static final Normalization NORM =
      new Normalization(1 / 255.0, new double[] {0.5}, new double[] {0.25});

  static ModelArtifact random(long seed) {
    return RandomModel.create(
        "test-" + seed, "2026-01-01T00:00:00Z", EncoderSpec.fashionMnist(), NORM, 10, seed);
  }

  @Test
  void roundTripsEveryField(@TempDir Path dir) throws IOException {
    ModelArtifact written = ModelArtifacts.write(dir, random(7));
    ModelArtifact read = ModelArtifacts.read(dir);
    assertThat(read.manifest().version()).isEqualTo("test-7");
    assertThat(read.manifest().architecture()).isEqualTo(EncoderSpec.fashionMnist().layers());
    assertThat(read.manifest().normalization()).isEqualTo(NORM);
    assertThat(read.manifest().input()).isEqualTo(new InputShape(1, 28, 28));
    assertThat(read.manifest().clustering().centroids())
        .isDeepEqualTo(written.manifest().clustering().centroids());
    assertThat(read.weights()).isEqualTo(written.weights());
    assertThat(read.manifest().weights().sha256())
        .isEqualTo(ModelArtifacts.sha256(Files.readAllBytes(dir.resolve("encoder.npz"))));
  }

  @Test
  void perImageScalingRoundTripsAndAnOlderManifestWithoutItReadsAsNone(@TempDir Path dir)
      throws IOException {
    Normalization unitRms = NORM.withPerImage(Normalization.PerImage.UNIT_RMS);
    ModelArtifacts.write(
        dir,
        RandomModel.create(
            "rms", "2026-01-01T00:00:00Z", EncoderSpec.fashionMnist(), unitRms, 10, 3));
    assertThat(ModelArtifacts.read(dir).manifest().normalization()).isEqualTo(unitRms);

    Path manifest = dir.resolve("manifest.json");
    String withField = Files.readString(manifest);
    String without = withField.replaceAll(",\\s*\"perImage\" : \"UNIT_RMS\"", "");
    assertThat(without).isNotEqualTo(withField);
    Files.writeString(manifest, without);
    assertThat(ModelArtifacts.read(dir).manifest().normalization()).isEqualTo(NORM);
  }

  @Test
  void sameSeedGivesTheSameBytesOtherSeedDoesNot(@TempDir Path dir) throws IOException {
    ModelArtifacts.write(dir.resolve("a"), random(42));
    ModelArtifacts.write(dir.resolve("b"), random(42));
    ModelArtifacts.write(dir.resolve("c"), random(43));
    byte[] a = Files.readAllBytes(dir.resolve("a/encoder.npz"));
    assertThat(Files.readAllBytes(dir.resolve("b/encoder.npz"))).isEqualTo(a);
    assertThat(Files.readAllBytes(dir.resolve("c/encoder.npz"))).isNotEqualTo(a);
  }

  @Test
  void writtenManifestFollowsTheJsonSchema(@TempDir Path dir) throws IOException {
    ModelArtifacts.write(dir, random(1));
    JsonSchema schema = SchemaFiles.manifest();
    JsonNode manifest = ModelArtifacts.json().readTree(dir.resolve("manifest.json").toFile());
    assertThat(schema.validate(manifest)).isEmpty();

    EncoderSpec plain = EncoderSpec.fashionMnist();
    EncoderSpec normalized = new EncoderSpec(plain.input(), plain.widths(), 16, true);
    ModelArtifacts.write(
        dir.resolve("l2"),
        RandomModel.create("l2", "2026-01-01T00:00:00Z", normalized, NORM, 3, 2));
    JsonNode l2 = ModelArtifacts.json().readTree(dir.resolve("l2/manifest.json").toFile());
    assertThat(l2.toString()).contains("\"type\":\"l2normalize\"");
    assertThat(schema.validate(l2)).isEmpty();
    ModelArtifacts.write(
        dir.resolve("rms"),
        RandomModel.create(
            "rms",
            "2026-01-01T00:00:00Z",
            plain,
            NORM.withPerImage(Normalization.PerImage.UNIT_RMS),
            3,
            2));
    JsonNode rms = ModelArtifacts.json().readTree(dir.resolve("rms/manifest.json").toFile());
    assertThat(rms.get("normalization").get("perImage").asText()).isEqualTo("UNIT_RMS");
    assertThat(schema.validate(rms)).isEmpty();
    ((ObjectNode) rms.get("normalization")).put("perImage", "HISTOGRAM");
    assertThat(schema.validate(rms)).isNotEmpty();

    ((ObjectNode) manifest).remove("architecture");
    ((ObjectNode) manifest).put("similarity", "MANHATTAN");
    Set<ValidationMessage> errors = schema.validate(manifest);
    assertThat(errors)
        .extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("architecture"))
        .anyMatch(m -> m.contains("similarity"));
  }

  @Test
  void refusesAMissingManifest(@TempDir Path dir) {
    assertThatThrownBy(() -> ModelArtifacts.read(dir))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("manifest.json");
  }

  @Test
  void refusesBrokenJson(@TempDir Path dir) throws IOException {
    ModelArtifacts.write(dir, random(1));
    Files.writeString(dir.resolve("manifest.json"), "{\"formatVersion\": 1, ");
    assertThatThrownBy(() -> ModelArtifacts.read(dir))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("is not valid");
  }

  @Test
  void refusesWeightsThatDoNotMatchTheChecksum(@TempDir Path dir) throws IOException {
    ModelArtifacts.write(dir, random(1));
    byte[] npz = Files.readAllBytes(dir.resolve("encoder.npz"));
    npz[npz.length / 2] ^= 1;
    Files.write(dir.resolve("encoder.npz"), npz);
    assertThatThrownBy(() -> ModelArtifacts.read(dir))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void refusesAMissingWeightsFile(@TempDir Path dir) throws IOException {
    ModelArtifacts.write(dir, random(1));
    Files.delete(dir.resolve("encoder.npz"));
    assertThatThrownBy(() -> ModelArtifacts.read(dir)).hasMessageContaining("is missing");
  }

  @Test
  void refusesWeightsOfTheWrongShape(@TempDir Path dir) {
    ModelArtifact good = random(1);
    var weights = new java.util.HashMap<>(good.weights());
    weights.put("conv1.bias", new NdArray(new int[] {15}, new float[15]));
    assertThatThrownBy(() -> ModelArtifacts.write(dir, new ModelArtifact(good.manifest(), weights)))
        .isInstanceOf(InvalidArtifactException.class)
        .hasMessageContaining("conv1.bias")
        .hasMessageContaining("[16]");
  }

  @Test
  void refusesAnArchitectureThatDoesNotReachTheEmbeddingSize(@TempDir Path dir) throws IOException {
    ModelArtifacts.write(dir, random(1));
    Path manifest = dir.resolve("manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest).replace("\"embeddingDim\" : 64", "\"embeddingDim\" : 65"));
    assertThatThrownBy(() -> ModelArtifacts.read(dir))
        .hasMessageContaining("outputs 64 values but embeddingDim is 65");
  }

  @Test
  void refusesUnsafeVersionsAndWrongCentroids(@TempDir Path dir) {
    ModelArtifact good = random(1);
    ModelManifest m = good.manifest();
    ModelManifest unsafe =
        new ModelManifest(
            1,
            "../evil",
            m.created(),
            m.input(),
            m.normalization(),
            m.embeddingDim(),
            m.similarity(),
            m.architecture(),
            null,
            m.clustering(),
            m.training(),
            m.evaluation(),
            m.encoderFormat(),
            null,
            null);
    assertThatThrownBy(() -> ModelArtifacts.write(dir, new ModelArtifact(unsafe, good.weights())))
        .hasMessageContaining("version must match");
    ModelManifest shortCentroids =
        m.withClustering(new ModelManifest.Clustering(1, new float[][] {new float[3]}));
    assertThatThrownBy(
            () -> ModelArtifacts.write(dir, new ModelArtifact(shortCentroids, good.weights())))
        .hasMessageContaining("embeddingDim = 64");
  }
}
