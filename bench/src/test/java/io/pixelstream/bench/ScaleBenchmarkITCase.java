package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pixelstream.core.model.ModelArtifacts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code bench/run.sh --scale N} working: 3,000 distinct images through a real broker, the
 * job and the query API in its own JVM (reading the job's fresh-images topic, as deployed), with
 * int8 vectors; {@code scale.json} must hold every key with a plausible value. Speed is not judged
 * here (see docs/benchmarks.md for the 1M run).
 */
class ScaleBenchmarkITCase {

  @Test
  void tinyScaleRunWritesEveryFigure(@TempDir Path out) throws Exception {
    BenchCommand.run(
        10,
        out.resolve("run.log"),
        "bench/run.sh",
        "--scale",
        "3000",
        "--vector-format",
        "int8",
        "--tiny",
        "--out",
        out.toString());

    JsonNode scale = ModelArtifacts.json().readTree(out.resolve("scale.json").toFile());
    assertThat(scale.get("indexed").asInt()).isEqualTo(3000);
    assertThat(scale.get("vector_format").asText()).isEqualTo("int8");
    for (String key :
        List.of(
            "ingest_images_per_s",
            "freshness_p99_ms",
            "query_p50_ms_1",
            "query_p50_ms_8",
            "query_p99_ms_8",
            "query_p99_ms_8_by_id",
            "index_bytes",
            "query_api_rss_mib",
            "job_rss_mib_after_ingest",
            "segments_per_shard")) {
      assertThat(scale.get(key).asDouble()).as(key).isPositive().isFinite();
    }
    assertThat(scale.get("query_p99_ms_8").asDouble())
        .isGreaterThanOrEqualTo(scale.get("query_p50_ms_8").asDouble());
    assertThat(scale.get("ingest_images_per_s_per_tenth")).hasSize(10);
    assertThat(scale.get("settings").get("freshTopic").asBoolean()).as("as deployed").isTrue();
    assertThat(
            scale
                .get("freshness_stages")
                .get("records the API read from the fresh topic")
                .get(0)
                .get(0)
                .asDouble())
        .as("the freshness run's images reached the API through the fresh topic")
        .isPositive();
    // over 3,000 vectors, 30 candidates per segment find nearly all of exact's top 10
    assertThat(scale.get("recall_at_10").asDouble()).isBetween(0.9, 1.0);

    JsonNode settled = scale.get("settled");
    assertThat(settled.get("settled_from_segments").asInt())
        .as("the settled phase starts from the index the job left")
        .isEqualTo(scale.get("segments_per_shard").asInt());
    assertThat(settled.get("segments_per_shard").asInt())
        .as("merges only join segments")
        .isBetween(1, settled.get("settled_from_segments").asInt());
    for (String key : List.of("settle_seconds", "query_p99_ms_8", "query_p99_ms_8_by_id")) {
      assertThat(settled.get(key).asDouble()).as("settled " + key).isPositive().isFinite();
    }
    assertThat(settled.get("recall_at_10").asDouble()).isBetween(0.9, 1.0);
  }
}
