package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pixelstream.core.model.ModelArtifacts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code QueryBenchmark --fresh-held} working: a real broker's fresh-images topic, a query
 * API that must report holding every image before it is measured, and latency rows for both kinds.
 * The figures are not judged.
 */
class QueryBenchmarkFreshITCase {

  @Test
  void measuresWithTheHeldImages(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("query.json");
    BenchCommand.run(
        5,
        dir.resolve("run.log"),
        "deploy/local/java.sh",
        "bench",
        "io.pixelstream.bench.QueryBenchmark",
        "--tiny",
        "--images",
        "500",
        "--clients",
        "2",
        "--recall-queries",
        "10",
        "--fresh-held",
        "40",
        "--fresh-rate",
        "200",
        "--work",
        dir.resolve("work").toString(),
        "--out",
        out.toString());

    JsonNode result = ModelArtifacts.json().readTree(out.toFile());
    assertThat(result.at("/setup/freshHeld").asInt()).isEqualTo(40);
    assertThat(result.get("latency")).hasSize(2);
    for (JsonNode row : result.get("latency")) {
      assertThat(row.at("/p99Ms/median").asDouble()).as("%s", row).isPositive();
    }
  }
}
