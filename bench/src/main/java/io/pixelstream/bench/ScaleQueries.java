package io.pixelstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.MergeIndexCommand;
import io.pixelstream.core.io.Folders;
import io.pixelstream.core.model.ModelArtifacts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** {@link ScaleBenchmark}'s query phase: latency, recall and memory on an index nobody writes. */
final class ScaleQueries {

  private ScaleQueries() {}

  /** Segments, bytes on disk, queries, recall and the API's RSS, on an index nobody writes. */
  static Map<String, Object> measure(
      QueryApiProcess api,
      Path index,
      String version,
      ScaleImages data,
      int images,
      CliArgs cli,
      boolean tiny)
      throws Exception {
    int requests = cli.getInt("requests", tiny ? 100 : 2000);
    int runs = cli.getInt("runs", tiny ? 1 : 3);
    int recallQueries = cli.getInt("recall-queries", tiny ? 50 : 1000);
    long seed = cli.getLong("seed", 42);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("segments_per_shard", MergeIndexCommand.segmentCount(index, version));
    out.put("index_bytes", Folders.size(index.resolve(version)));
    out.putAll(queries(api.port(), data, images, requests, runs, seed));
    out.put("recall_at_10", recall(api.port(), images, recallQueries, seed));
    out.put("query_api_rss_mib", api.residentBytes() / 1048576.0);
    return out;
  }

  /** p50/p99 at 1 and 8 clients by image (new images, not indexed) and by id (indexed ones). */
  private static Map<String, Object> queries(
      int port, ScaleImages data, int images, int requests, int runs, long seed) throws Exception {
    Random random = new Random(seed);
    byte[][] pngs = new byte[1000][];
    String[] ids = new String[pngs.length];
    for (int i = 0; i < pngs.length; i++) {
      pngs[i] = data.png(2L * images + i); // beyond the indexed and the freshness images
      ids[i] = ScaleBenchmark.id(random.nextInt(images));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String kind : List.of("image", "id")) {
      QueryLoad load = new QueryLoad(port, kind, "hnsw", pngs, i -> ids[i]);
      for (int clients : new int[] {1, 8}) {
        load.run(clients, Math.min(500, requests), new double[Math.min(500, requests)], 1);
        double[] p50 = new double[runs];
        double[] p99 = new double[runs];
        for (int r = 0; r < runs; r++) {
          double[] ms = new double[requests];
          load.run(clients, requests, ms, 2 + r);
          p50[r] = Stats.percentile(ms, 50);
          p99[r] = Stats.percentile(ms, 99);
        }
        String suffix = kind.equals("image") ? "_" + clients : "_" + clients + "_by_id";
        out.put("query_p50_ms" + suffix, Stats.median(p50));
        out.put("query_p99_ms" + suffix, Stats.median(p99));
        System.out.printf(
            "query by %s at %d clients: p50 %s p99 %s ms (%d rounds)%n",
            kind, clients, Stats.spread(p50, "%.2f"), Stats.spread(p99, "%.2f"), runs);
      }
    }
    return out;
  }

  /** Mean overlap of hnsw's top 10 with exact's, by the ids of random indexed images. */
  private static double recall(int port, int images, int queries, long seed) throws Exception {
    Random random = new Random(seed + 1);
    double sum = 0;
    try (KeepAliveClient http = new KeepAliveClient("127.0.0.1", port)) {
      for (int q = 0; q < queries; q++) {
        String path =
            "/v1/images/"
                + URLEncoder.encode(
                    ScaleBenchmark.id(random.nextInt(images)), StandardCharsets.UTF_8)
                + "/similar?k=10&mode=";
        Set<String> exact = hitIds(http.get(path + "exact"));
        Set<String> hnsw = hitIds(http.get(path + "hnsw"));
        hnsw.retainAll(exact);
        sum += hnsw.size() / 10.0;
      }
    }
    System.out.printf("recall@10, hnsw vs exact over %d queries: %.4f%n", queries, sum / queries);
    return sum / queries;
  }

  private static Set<String> hitIds(KeepAliveClient.Response response) throws Exception {
    if (response.status() != 200) {
      throw new IllegalStateException(
          "HTTP " + response.status() + ": " + new String(response.body(), StandardCharsets.UTF_8));
    }
    Set<String> ids = new HashSet<>();
    for (JsonNode hit : ModelArtifacts.json().readTree(response.body()).get("results")) {
      ids.add(hit.get("id").asText());
    }
    return ids;
  }
}
