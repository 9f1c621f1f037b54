package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pixelstream.core.model.ModelArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the one benchmark command working: {@code bench/run.sh --tiny} runs every harness (JMH, the
 * Python peers, ingest with a real broker and job, the query API, the trainer) on small inputs and
 * the summary must hold every figure, each a finite number. The figures themselves are not judged
 * here: tiny runs on a shared CI machine say nothing about speed.
 */
class BenchSuiteITCase {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void tinySuiteProducesEveryFigure(@TempDir Path out) throws Exception {
    Path log = out.resolve("run.log");
    Process p =
        new ProcessBuilder(
                ROOT.resolve("bench/run.sh").toString(), "--tiny", "--out", out.toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = p.waitFor(15, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    assertThat(finished).as("bench/run.sh --tiny finished within 15 min").isTrue();
    assertThat(p.exitValue()).as("exit status; log:%n%s", tail(log)).isZero();

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

  private static String tail(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
