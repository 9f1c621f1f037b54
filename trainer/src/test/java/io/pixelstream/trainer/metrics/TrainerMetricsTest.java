package io.pixelstream.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.registry.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerMetricsTest {

  @Test
  void qualityPerVersionAndDecisionsComeFromTheHistory(@TempDir Path dir) throws Exception {
    ModelRegistry registry = new ModelRegistry(dir);
    registry.record(
        "register",
        Map.of("version", "v1", "evaluation", Map.of("nmi", 0.5, "precisionAt10", 0.75)));
    registry.record(
        "register",
        Map.of("version", "v2", "evaluation", Map.of("nmi", 0.625, "randIndex", 0.875)));
    registry.record("reject", Map.of("version", "v2"));
    registry.record("failed-run", Map.of("error", "disk full"));
    try (TrainerMetrics metrics = new TrainerMetrics(registry)) {
      metrics.runEnded("rejected", 12.5);
      String text = scrape(metrics);
      assertThat(text)
          .contains("pixelstream_trainer_model_nmi{version=\"v1\"} 0.5")
          .contains("pixelstream_trainer_model_nmi{version=\"v2\"} 0.625")
          .contains("pixelstream_trainer_model_precision_at_10{version=\"v1\"} 0.75")
          .contains("pixelstream_trainer_model_rand_index{version=\"v2\"} 0.875")
          .contains("pixelstream_trainer_decisions_total{decision=\"reject\"} 1")
          .contains("pixelstream_trainer_decisions_total{decision=\"promote\"} 0")
          .contains("pixelstream_trainer_decisions_total{decision=\"failed-run\"} 1")
          .contains("pixelstream_trainer_runs_total{outcome=\"rejected\"} 1")
          .contains("pixelstream_trainer_last_run_duration_seconds 12.5")
          .doesNotContain("pixelstream_trainer_current_model{");

      int port = metrics.serve("127.0.0.1", 0);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("pixelstream_trainer_model_nmi{version=\"v2\"} 0.625");
    }
  }

  private static String scrape(TrainerMetrics metrics) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
