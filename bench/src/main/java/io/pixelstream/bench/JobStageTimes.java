package io.pixelstream.bench;

import io.pixelstream.jobs.ingest.IngestMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job's per-stage time totals ({@link IngestMetrics#DECODE_NANOS} and its siblings), read from
 * Flink's Prometheus reporter and summed over subtasks: two readings around a run give where its
 * time went.
 */
final class JobStageTimes {

  /** Stage name -> the job's metric for it, in pipeline order (the order of tables). */
  static final Map<String, String> STAGES = new LinkedHashMap<>();

  static {
    STAGES.put("decode", IngestMetrics.DECODE_NANOS);
    STAGES.put("embed", IngestMetrics.EMBED_NANOS);
    STAGES.put("index", IngestMetrics.INDEX_NANOS);
    STAGES.put("commit", IngestMetrics.COMMIT_NANOS);
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private JobStageTimes() {}

  /** Nanoseconds per stage so far, summed over the job's subtasks. */
  static Map<String, Double> read(int prometheusPort) throws IOException, InterruptedException {
    String text =
        HTTP.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> out = new LinkedHashMap<>();
    STAGES.keySet().forEach(stage -> out.put(stage, 0.0));
    for (String line : text.split("\n")) {
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (line.startsWith("#") || space < 0) {
        continue;
      }
      String name = line.substring(0, brace < 0 ? space : brace);
      for (Map.Entry<String, String> stage : STAGES.entrySet()) {
        if (name.endsWith("_" + IngestMetrics.GROUP + "_" + stage.getValue())) {
          out.merge(stage.getKey(), Double.parseDouble(line.substring(space + 1)), Double::sum);
        }
      }
    }
    return out;
  }
}
