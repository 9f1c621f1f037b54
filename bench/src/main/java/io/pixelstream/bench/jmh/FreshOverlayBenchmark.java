package io.pixelstream.bench.jmh;

import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.fresh.FreshImage;
import io.pixelstream.core.fresh.FreshImages;
import io.pixelstream.core.fresh.FreshOverlay;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.io.Folders;
import io.pixelstream.core.search.LucenePinnedVersion;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the query API's fresh images add to a search: one HNSW search (k 10, 30 candidates) over
 * {@code size} random 64-d vectors in one merged shard on disk, through the index alone and through
 * a {@link FreshOverlay} holding {@code held} images the shard does not have (each search then
 * copies the held ids and scores the held vectors exactly).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class FreshOverlayBenchmark {

  @Param({"70000"})
  public int size;

  @Param({"500", "5000"})
  public int held;

  private Path root;
  private PinnedVersion index;
  private FreshOverlay overlay;
  private float[][] queries;
  private final SearchRequest request = new SearchRequest(10, SearchMode.HNSW, null, null, 30);
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random random = new Random(42);
    root = Files.createTempDirectory("fresh-overlay-jmh-");
    try (ShardWriter shard =
        ShardWriter.open(
            new IndexLayout(root).shardDir("jmh", 0),
            VectorSimilarityFunction.EUCLIDEAN,
            HnswOptions.DEFAULT,
            256,
            0)) {
      for (int i = 0; i < size; i++) {
        shard.upsert(
            new IndexedImage(
                "id-" + i, vector(random), i % 10, null, null, "jmh", 0L, 0L, new byte[200]));
      }
      shard.forceMerge(1);
      shard.commit(Map.of());
    }
    FreshImages fresh = new FreshImages(held, 3_600_000);
    for (int i = 0; i < held; i++) {
      fresh.accept(
          new FreshImage(
              "fresh-" + i,
              false,
              "jmh",
              0,
              "images-0",
              i,
              0L,
              vector(random),
              i % 10,
              null,
              null,
              new byte[200]));
    }
    index = LucenePinnedVersion.open(root, "jmh");
    overlay = new FreshOverlay(LucenePinnedVersion.open(root, "jmh"), fresh, "EUCLIDEAN");
    queries = new float[1000][];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = vector(random);
    }
  }

  private static float[] vector(Random random) {
    float[] v = new float[HnswBenchmark.DIM];
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }

  /** The shard alone. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public SearchResult indexAlone() throws IOException {
    return index.search(queries[next++ % queries.length], request, null);
  }

  /** The shard and the held images. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public SearchResult withFreshImages() throws IOException {
    return overlay.search(queries[next++ % queries.length], request, null);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    index.close();
    overlay.close();
    Folders.deleteRecursively(root);
  }
}
