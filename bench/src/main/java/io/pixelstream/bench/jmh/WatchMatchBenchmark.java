package io.pixelstream.bench.jmh;

import io.pixelstream.core.watch.StandingWatches;
import io.pixelstream.core.watch.Watch;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The match step alone: one new image (random 64-d, Euclidean) against {@code watches} threshold
 * watches (random vectors; none matches, so each watch's bound is computed and none is scored
 * exactly): the cost per image that {@code WatchBenchmark} sees inside the job.
 *
 * <pre>{@code
 * deploy/local/java.sh bench org.openjdk.jmh.Main WatchMatchBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class WatchMatchBenchmark {

  static final int DIM = 64;

  @Param({"1000", "10000"})
  public int watches;

  private StandingWatches standing;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    float[][] vectors = new float[watches][DIM];
    for (float[] v : vectors) {
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
    }
    standing =
        new StandingWatches(
            new StandingWatches.Models() {
              @Override
              public String similarity(String version) {
                return "EUCLIDEAN";
              }

              @Override
              public float[][] embed(String version, List<byte[]> images) {
                return images.stream()
                    .map(
                        b ->
                            vectors[
                                Integer.parseInt(
                                    new String(b, java.nio.charset.StandardCharsets.US_ASCII))])
                    .toArray(float[][]::new);
              }
            });
    for (int j = 0; j < watches; j++) {
      byte[] key = Integer.toString(j).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      standing.put(new Watch("w" + j, "n", key, null, 0.5, null, 1L));
    }
    queries = new float[1000][DIM];
    for (float[] q : queries) {
      for (int d = 0; d < DIM; d++) {
        q[d] = (float) random.nextGaussian();
      }
    }
  }

  /** One image against every watch. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int match() {
    return standing.match(queries[next++ % queries.length], "v1").size();
  }
}
