package io.pixelstream.bench;

import io.pixelstream.jobs.ingest.IngestMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's per-stage time totals ({@link IngestMetrics#DECODE_NANOS} and its siblings), read from
 * Flink's Prometheus reporter and summed over subtasks: two readings around a run give where its
 * time went.
 */
final class JobStageTimes {

  /** Stage name -> the job's metric for it. */
  static final Map<String, String> STAGES =
      Map.of(
          "decode", IngestMetrics.DECODE_NANOS,
          "embed", IngestMetrics.EMBED_NANOS,
          "index", IngestMetrics.INDEX_NANOS,
          "commit", IngestMetrics.COMMIT_NANOS);

  /** Stages in pipeline order, for tables. */
  static final List<String> ORDER = List.of("decode", "embed", "index", "commit");

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
    for (String stage : ORDER) {
      String suffix = "_" + IngestMetrics.GROUP + "_" + STAGES.get(stage);
      double sum = 0;
      for (String line : text.split("\n")) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        if (line.startsWith("#") || space < 0) {
          continue;
        }
        String name = line.substring(0, brace < 0 ? space : brace);
        if (name.endsWith(suffix)) {
          sum += Double.parseDouble(line.substring(space + 1));
        }
      }
      out.put(stage, sum);
    }
    return out;
  }
}
