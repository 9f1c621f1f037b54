package io.pixelstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.model.ModelArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last step of {@code bench/run.sh}: reads the JSON each harness wrote into one folder and
 * prints one table of the figures users judge us by, with the peers' figures, the ratio to them
 * (above 1: we are better, whichever way the unit points) and the targets. Writes {@code
 * summary.json} beside them. Fails when a harness's file or figure is missing.
 */
public final class BenchSummary {

  /** One figure: ours, the peer's where there is one, and the target where the issue sets one. */
  record Row(
      String figure,
      String unit,
      double ours,
      String spread,
      String peer,
      Double peerValue,
      Double ratio,
      String target,
      Boolean met) {}

  private static final ObjectMapper JSON = ModelArtifacts.json();

  private BenchSummary() {}

  public static void main(String[] args) throws IOException {
    CliArgs cli = CliArgs.parse(args, Set.of("dir"));
    Path dir = Path.of(cli.get("dir", "bench/results/suite"));
    List<Row> rows = rows(dir);
    print(rows);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    out.put("rows", rows);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("summary.json").toFile(), out);
    System.out.println("JSON: " + dir.resolve("summary.json"));
  }

  static List<Row> rows(Path dir) throws IOException {
    JsonNode ingest = read(dir, "ingest.json");
    JsonNode query = read(dir, "query.json");
    JsonNode jmh = read(dir, "jmh.json");
    JsonNode peers = read(dir, "peers.json");
    JsonNode trainer = read(dir, "trainer.json");
    List<Row> rows = new ArrayList<>();

    rows.add(
        atLeast(
            "ingest, produce->committed",
            "images/s",
            summary(ingest, "throughputImagesPerSec"),
            2000));
    rows.add(
        atMost("freshness p99, produce->committed", "ms", summary(ingest, "freshnessP99Ms"), 1000));
    rows.add(
        atMost(
            "freshness p99, produce->answerable by the query API",
            "ms",
            summary(ingest, "apiFreshnessP99Ms"),
            1000));
    for (String stage : JobStageTimes.STAGES.keySet()) {
      rows.add(
          plain(
              "ingest cores busy in " + stage,
              "cores",
              summary(need(ingest, "coresBusyByStage"), stage)));
    }

    for (JsonNode r : need(query, "latency")) {
      String name =
          "query by "
              + r.get("kind").asText()
              + " ("
              + r.get("mode").asText()
              + "), "
              + r.get("clients").asInt()
              + " clients";
      rows.add(plain(name + ", p50", "ms", summary(r, "p50Ms")));
      Figure p99 = summary(r, "p99Ms");
      rows.add(
          r.get("clients").asInt() == 8
              ? atMost(name + ", p99", "ms", p99, 20)
              : plain(name + ", p99", "ms", p99));
      rows.add(plain(name + ", throughput", "req/s", summary(r, "requestsPerSec")));
    }
    double recall = need(need(query, "recallAt10VsExact"), "hnsw").asDouble();
    rows.add(
        new Row(
            "recall@10, hnsw vs exact",
            "",
            recall,
            "",
            null,
            null,
            null,
            ">= 0.98",
            recall >= 0.98));

    for (String batch : List.of("1", "32", "256")) {
      JsonNode b = jmhRow(jmh, "EncoderBenchmark.embed", "batch", batch);
      double ours = b.at("/primaryMetric/score").asDouble() * Integer.parseInt(batch);
      double peer = need(need(need(peers, "encoder"), batch), "imagesPerSecond").asDouble();
      rows.add(
          versusPeer(
              "DJL encoder, batch " + batch,
              "images/s",
              ours,
              spreadOf(b, Integer.parseInt(batch)),
              "PyTorch (python3-torch)",
              peer,
              ours / peer));
    }
    JsonNode insert = jmhRow(jmh, "HnswBenchmark.insert", null, null);
    double insertOurs = insert.at("/primaryMetric/score").asDouble();
    double insertPeer = need(need(peers, "hnswInsert"), "perSecond").asDouble();
    rows.add(
        versusPeer(
            "HNSW insert",
            "vectors/s",
            insertOurs,
            spreadOf(insert, 1),
            "hnswlib",
            insertPeer,
            insertOurs / insertPeer));
    JsonNode search = jmhRow(jmh, "HnswBenchmark.search", null, null);
    double searchP50 = search.at("/primaryMetric/scorePercentiles/50.0").asDouble();
    double searchP99 = search.at("/primaryMetric/scorePercentiles/99.0").asDouble();
    double hnswlibP50 = need(need(peers, "hnswSearchMicros"), "p50").asDouble();
    double hnswlibP99 = need(need(peers, "hnswSearchMicros"), "p99").asDouble();
    double bruteP50 = need(need(peers, "sklearnBruteMicros"), "p50").asDouble();
    rows.add(
        versusPeer(
            "HNSW search top-10, p50",
            "µs",
            searchP50,
            "",
            "hnswlib",
            hnswlibP50,
            hnswlibP50 / searchP50));
    rows.add(
        versusPeer(
            "HNSW search top-10, p99",
            "µs",
            searchP99,
            "",
            "hnswlib",
            hnswlibP99,
            hnswlibP99 / searchP99));
    rows.add(
        versusPeer(
            "search top-10, p50 (ours: HNSW)",
            "µs",
            searchP50,
            "",
            "scikit-learn exact (the published approach)",
            bruteP50,
            bruteP50 / searchP50));

    for (JsonNode v : need(trainer, "variants")) {
      String name = "trainer, " + v.get("variant").asText();
      rows.add(atLeast(name, "images/s", summary(v, "imagesPerSec"), 300));
      rows.add(
          plain(name + ", one epoch (projected)", "s", summary(v, "secondsPerEpochProjected")));
    }
    return rows;
  }

  /** A median with its spread over runs. */
  private record Figure(double median, String spread) {}

  private static Figure summary(JsonNode node, String field) {
    JsonNode s = need(node, field);
    return new Figure(
        need(s, "median").asDouble(),
        format(need(s, "min").asDouble()) + "-" + format(need(s, "max").asDouble()));
  }

  private static String spreadOf(JsonNode jmhRow, int scale) {
    JsonNode error = jmhRow.at("/primaryMetric/scoreError");
    return error.isNumber() && !Double.isNaN(error.asDouble())
        ? "± " + format(error.asDouble() * scale)
        : "";
  }

  private static Row plain(String figure, String unit, Figure f) {
    return new Row(figure, unit, f.median(), f.spread(), null, null, null, "", null);
  }

  private static Row atLeast(String figure, String unit, Figure f, double target) {
    return targeted(figure, unit, f, ">= " + format(target), f.median() >= target);
  }

  private static Row atMost(String figure, String unit, Figure f, double target) {
    return targeted(figure, unit, f, "<= " + format(target), f.median() <= target);
  }

  private static Row targeted(String figure, String unit, Figure f, String target, boolean met) {
    return new Row(figure, unit, f.median(), f.spread(), null, null, null, target, met);
  }

  private static Row versusPeer(
      String figure,
      String unit,
      double ours,
      String spread,
      String peer,
      double peerValue,
      double ratio) {
    return new Row(figure, unit, ours, spread, peer, peerValue, ratio, "ratio >= 1", ratio >= 1);
  }

  private static JsonNode jmhRow(JsonNode jmh, String benchmark, String param, String value) {
    for (JsonNode b : jmh) {
      if (b.get("benchmark").asText().endsWith(benchmark)
          && (param == null || value.equals(b.at("/params/" + param).asText()))) {
        return b;
      }
    }
    throw new IllegalStateException(
        "jmh.json has no " + benchmark + (param == null ? "" : " " + param + "=" + value));
  }

  private static JsonNode read(Path dir, String file) throws IOException {
    Path p = dir.resolve(file);
    if (!Files.exists(p)) {
      throw new IllegalStateException(p + " is missing: did its step of bench/run.sh fail?");
    }
    return JSON.readTree(p.toFile());
  }

  private static JsonNode need(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalStateException("no '" + field + "' in " + node);
    }
    return v;
  }

  private static String format(double v) {
    double a = Math.abs(v);
    return a >= 100
        ? String.format("%.0f", v)
        : a >= 1 ? String.format("%.2f", v) : String.format("%.4f", v);
  }

  private static void print(List<Row> rows) {
    System.out.printf(
        "%n%-62s %12s %-14s %12s %8s %-12s %s%n",
        "figure", "ours", "(spread)", "peer", "ratio", "target", "met");
    for (Row r : rows) {
      System.out.printf(
          "%-62s %12s %-14s %12s %8s %-12s %s%n",
          r.figure() + (r.unit().isEmpty() ? "" : ", " + r.unit()),
          format(r.ours()),
          r.spread().isEmpty() ? "" : "(" + r.spread() + ")",
          r.peerValue() == null ? "" : format(r.peerValue()),
          r.ratio() == null ? "" : String.format("%.2f", r.ratio()),
          r.target(),
          r.met() == null ? "" : r.met() ? "yes" : "NO");
    }
    System.out.println(
        "peers: PyTorch = python3-torch conv encoder; hnswlib = python3-hnswlib; scikit-learn exact = python3-sklearn NearestNeighbors(brute)");
  }
}
