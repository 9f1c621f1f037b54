package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pixelstream.core.model.ModelArtifacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the one benchmark command working: {@code bench/run.sh --tiny} runs every harness (JMH, the
 * Python peers, ingest with a real broker and job, the query API, the trainer) on small inputs and
 * the summary must hold every figure, each a finite number. The figures themselves are not judged
 * here: tiny runs on a shared CI machine say nothing about speed.
 */
class BenchSuiteITCase {

  @Test
  void tinySuiteProducesEveryFigure(@TempDir Path out) throws Exception {
    BenchCommand.run(15, out.resolve("run.log"), "bench/run.sh", "--tiny", "--out", out.toString());

    JsonNode summary = ModelArtifacts.json().readTree(out.resolve("summary.json").toFile());
    List<String> figures = new ArrayList<>();
    for (JsonNode row : summary.get("rows")) {
      figures.add(row.get("figure").asText());
      assertThat(row.get("ours").isNumber()).as("%s is a number", row).isTrue();
      assertThat(Double.isFinite(row.get("ours").asDouble())).as("%s is finite", row).isTrue();
      if (row.hasNonNull("ratio")) {
        assertThat(row.get("ratio").asDouble()).as("%s", row).isPositive();
      }
    }
    assertThat(figures)
        .contains(
            "ingest, produce->committed",
            "freshness p99, produce->answerable by the query API",
            "ingest cores busy in embed",
            "ingest cores busy in merge",
            "query by image (hnsw), 8 clients, p99",
            "query by id (hnsw), 32 clients, throughput",
            "recall@10, hnsw vs exact",
            "DJL encoder, batch 256",
            "HNSW insert",
            "HNSW search top-10, p50",
            "trainer, vanilla",
            "trainer, supervised");
    assertThat(figures).hasSize(7 + 3 * 2 * 3 + 1 + 3 + 4 + 5);
  }
}
