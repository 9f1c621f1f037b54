package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.io.Folders;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.core.search.VectorSearch;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.IOUtils;

/**
 * What the HNSW graph costs to build while images stream in, and what it gives back: each variant
 * (M / beam width) writes the same embedded images through the job's own shard writer ({@link
 * ShardWriter}: its codec, merge policy and merge scheduler), publishing every {@code
 * --publish-every} images as the job does every 100 ms, and waits for the merges. Per variant:
 * images/s, CPU seconds of the whole process and of the merges, segments while streaming (mean and
 * most) and after, then on the index as the merges left it recall@10 of HNSW against exact search
 * with the query API's default candidates and one-client query latency. With {@code --force-merge}
 * the same again after a force-merge to one segment (where the merges stop depends on timing; one
 * segment is the same end for all). Images: {@link ScaleImages} embedded once by the random-init
 * model of the other harnesses (seed 42), all before the first variant.
 *
 * <pre>{@code
 * deploy/local/java.sh bench io.pixelstream.bench.GraphBuildBenchmark --images 200000 \
 *   --variants 16/100,16/50 --out bench/results/graph-build.json
 * }</pre>
 */
public final class GraphBuildBenchmark {

  private static final String USAGE =
      """
      Usage: GraphBuildBenchmark [--images 200000] [--variants 16/50] [--publish-every 100]
                                 [--queries 500] [--candidates 30] [--force-merge] [--seed 42]
                                 [--out bench/results/graph-build.json]
        --variants  M/beam-width pairs, each a fresh shard written with every image
      """;

  private GraphBuildBenchmark() {}

  public static void main(String[] args) throws Exception {
    CliArgs cli =
        CliArgs.parse(
            args,
            Set.of(
                "images",
                "variants",
                "publish-every",
                "queries",
                "candidates",
                "force-merge",
                "seed",
                "out"));
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    int images = cli.getInt("images", 200_000);
    int publishEvery = cli.getInt("publish-every", 100);
    int queries = cli.getInt("queries", 500);
    int candidates = cli.getInt("candidates", SearchRequest.DEFAULT_CANDIDATES);
    long seed = cli.getLong("seed", 42);
    Path out = Path.of(cli.get("out", "bench/results/graph-build.json"));
    List<HnswOptions> variants = new ArrayList<>();
    for (String v : cli.get("variants", "16/50").split(",")) {
      String[] mb = v.trim().split("/");
      if (mb.length != 2 || !mb[0].matches("\\d+") || !mb[1].matches("\\d+")) {
        throw new IllegalArgumentException("--variants takes M/beam-width pairs, got " + v);
      }
      variants.add(new HnswOptions(Integer.parseInt(mb[0]), Integer.parseInt(mb[1])));
    }
    boolean forceMerge = cli.has("force-merge");

    Path work = Files.createTempDirectory("graph-build-");
    try {
      ModelArtifact model =
          InitModelCommand.create(
              work.resolve("model"), "graph", seed, 10, 64, 2000, IdxReader.FASHION_MNIST_DIR);
      VectorSimilarityFunction similarity =
          VectorSimilarityFunction.valueOf(model.manifest().similarity());
      ScaleImages data = ScaleImages.fashionMnist(seed);
      long t0 = System.nanoTime();
      float[][] vectors = embed(model, data, images);
      byte[] png = data.png(0);
      System.out.printf("embedded %,d images in %.1f s%n", images, (System.nanoTime() - t0) / 1e9);
      int[] queryIds = new SplittableRandom(seed).ints(queries, 0, images).toArray();

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("images", images);
      result.put("publish_every", publishEvery);
      result.put("candidates", candidates);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (HnswOptions hnsw : variants) {
        Map<String, Object> row =
            build(
                work.resolve("shard-" + rows.size()), // a repeated variant starts afresh too
                hnsw,
                forceMerge,
                similarity,
                vectors,
                png,
                publishEvery,
                queryIds,
                candidates);
        System.out.println(row);
        rows.add(row);
      }
      result.put("variants", rows);
      Files.createDirectories(out.toAbsolutePath().getParent());
      ModelArtifacts.json().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
    } finally {
      IOUtils.rm(work);
    }
  }

  private static float[][] embed(ModelArtifact model, ScaleImages data, int n) throws Exception {
    float[][] vectors = new float[n][];
    try (ModelRuntime runtime =
        ModelRuntime.of(model, ImageLimits.DEFAULT, ImageEncoder.DeviceChoice.CPU)) {
      int batch = 1024;
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        float[][] inputs = new float[to - from][];
        for (int i = from; i < to; i++) {
          inputs[i - from] = runtime.preprocess(runtime.decode(data.png(i)));
        }
        float[][] embedded = runtime.embedAll(inputs, 256);
        System.arraycopy(embedded, 0, vectors, from, embedded.length);
      }
    }
    return vectors;
  }

  private static Map<String, Object> build(
      Path dir,
      HnswOptions hnsw,
      boolean forceMerge,
      VectorSimilarityFunction similarity,
      float[][] vectors,
      byte[] png,
      int publishEvery,
      int[] queryIds,
      int candidates)
      throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("max_conn", hnsw.maxConn());
    row.put("beam_width", hnsw.beamWidth());
    try (ShardWriter writer =
        ShardWriter.open(dir, similarity, hnsw, 16, ShardWriter.DEFAULT_MERGE_NICE)) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      long segmentSum = 0;
      int segmentMost = 0;
      int publishes = 0;
      for (int i = 0; i < vectors.length; i++) {
        writer.upsert(
            new IndexedImage("img-" + i, vectors[i], 0, null, null, "v", 0L, 0L, png, null));
        if ((i + 1) % publishEvery == 0) {
          writer.publish(Map.of());
          int segments = writer.segments();
          segmentSum += segments;
          segmentMost = Math.max(segmentMost, segments);
          publishes++;
        }
      }
      writer.publish(Map.of());
      double streamed = (System.nanoTime() - t0) / 1e9;
      int segmentsStreamed = writer.segments();
      writer.awaitMerges();
      writer.publish(Map.of());
      double wall = (System.nanoTime() - t0) / 1e9;
      row.put("images_per_s_streamed", round(vectors.length / streamed));
      row.put("images_per_s_with_merges", round(vectors.length / wall));
      row.put("cpu_s", round((os.getProcessCpuTime() - cpu0) / 1e9));
      row.put("merge_cpu_s", round(writer.mergeCpuNanos() / 1e9));
      row.put("segments_while_streaming_mean", round((double) segmentSum / publishes));
      row.put("segments_while_streaming_most", segmentMost);
      row.put("segments_when_streamed", segmentsStreamed);
      row.put("segments_after_merges", writer.segments());
      searchFigures(writer, vectors, queryIds, candidates)
          .forEach((k, v) -> row.put("after_merges_" + k, v));
      if (forceMerge) {
        long forceCpu0 = os.getProcessCpuTime();
        writer.forceMerge(1);
        writer.publish(Map.of());
        row.put("force_merge_cpu_s", round((os.getProcessCpuTime() - forceCpu0) / 1e9));
        row.put("cpu_s_to_one_segment", round((os.getProcessCpuTime() - cpu0) / 1e9));
        searchFigures(writer, vectors, queryIds, candidates)
            .forEach((k, v) -> row.put("one_segment_" + k, v));
      }
    }
    row.put("index_bytes", Folders.size(dir));
    return row;
  }

  private static Map<String, Object> searchFigures(
      ShardWriter writer, float[][] vectors, int[] queryIds, int candidates) throws Exception {
    try (DirectoryReader reader = writer.openCommitted()) {
      IndexSearcher searcher = new IndexSearcher(reader);
      SearchRequest hnsw = new SearchRequest(10, SearchMode.HNSW, null, null, candidates);
      SearchRequest exact = new SearchRequest(10, SearchMode.EXACT, null, null, candidates);
      double recall = 0;
      double[] ms = new double[queryIds.length];
      for (int round = 0; round < 2; round++) { // the first round warms the JIT and page cache
        for (int q = 0; q < queryIds.length; q++) {
          long t = System.nanoTime();
          SearchResult approx = VectorSearch.search(searcher, vectors[queryIds[q]], hnsw, null);
          ms[q] = (System.nanoTime() - t) / 1e6;
          if (round == 1) {
            recall +=
                Stats.recallAt10(
                    VectorSearch.search(searcher, vectors[queryIds[q]], exact, null), approx);
          }
        }
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("recall_at_10", Math.round(recall / queryIds.length * 10_000) / 10_000.0);
      figures.put("query_p50_ms", round(Stats.percentile(ms, 50)));
      figures.put("query_p99_ms", round(Stats.percentile(ms, 99)));
      return figures;
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
