package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.registry.ModelRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index alias moves to a version whose artifact is broken (weights that fail their checksum):
 * the query API refuses it with a logged reason and keeps answering from the model it serves; a
 * later good version is followed as usual.
 */
class RefusedModelITCase {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void brokenArtifactIsRefusedAndTheOldModelKeepsServing(@TempDir Path work) throws Exception {
    QueryFixtures fixtures = QueryFixtures.build(work, 300);
    ModelRegistry registry = new ModelRegistry(work.resolve("registry"));
    registry.register(fixtures.model);
    copyAs(registry, fixtures.model.version(), "broken");
    Path weights = registry.versionDir("broken").resolve("encoder.npz");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(weights, bytes);
    assertThatThrownBy(() -> registry.read("broken")).hasMessageContaining("SHA-256");
    copyAs(registry, fixtures.model.version(), "good-2");

    ServingAlias alias = new ServingAlias(fixtures.indexRoot);
    alias.switchTo(fixtures.model.version());
    QueryOptions options =
        new QueryOptions(
            0,
            null,
            registry.root(),
            fixtures.indexRoot,
            64 * 1024,
            100,
            100,
            4,
            1,
            60_000, // refreshed by hand below
            ApiAccess.LOCAL,
            QueryOptions.Embedding.DEFAULT);
    try (QueryService service = QueryService.open(options);
        QueryServer server = QueryServer.start(options, service)) {
      QueryFixtures.Http http = new QueryFixtures.Http(server.port());
      String similar =
          "/v1/images/"
              + URLEncoder.encode(QueryFixtures.id(3), StandardCharsets.UTF_8)
              + "/similar?k=5";

      alias.switchTo("broken");
      service.refresh();
      assertThat(service.modelVersion()).isEqualTo(fixtures.model.version());
      var answer = http.get(similar);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(answer.body()).get("modelVersion").asText())
          .isEqualTo(fixtures.model.version());
      assertThat(JSON.readTree(answer.body()).get("results")).hasSize(5);
      service.refresh(); // a second look still serves the old model
      assertThat(JSON.readTree(http.get("/v1/stats").body()).get("modelSwitches").asInt()).isZero();

      alias.switchTo("good-2");
      service.refresh();
      assertThat(service.modelVersion()).isEqualTo("good-2");
      assertThat(JSON.readTree(http.get("/v1/stats").body()).get("modelSwitches").asInt())
          .isEqualTo(1);
    }
  }

  /** Registers a copy of {@code from}'s files under {@code version}. */
  private static void copyAs(ModelRegistry registry, String from, String version) throws Exception {
    Path source = registry.versionDir(from);
    Path target = registry.versionDir(version);
    Files.createDirectories(target);
    try (var files = Files.list(source)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    ObjectNode manifest = (ObjectNode) JSON.readTree(target.resolve("manifest.json").toFile());
    manifest.put("version", version);
    JSON.writeValue(target.resolve("manifest.json").toFile(), manifest);
  }
}
