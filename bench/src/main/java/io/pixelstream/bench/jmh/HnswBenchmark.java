package io.pixelstream.bench.jmh;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.ImageDocuments;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lucene HNSW alone, with the index's own codec and documents ({@link ShardWriter#codec}, {@link
 * ImageDocuments}) in memory: insert rate (documents per second into a fresh index, graph built as
 * they arrive, one flush at the end) and single-query kNN latency over {@code size} random 64-d
 * vectors in one segment (k 10, beam 40, as the query API's default).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class HnswBenchmark {

  static final int DIM = 64;
  static final int INSERTS = 10_000;

  /**
   * The graph parameters of the hnswlib peer (M 16, ef_construction 100), not the index's default
   * beam width (50), so that the tracked ratio compares like with like.
   */
  static final HnswOptions PEER_PARAMETERS = new HnswOptions(16, 100);

  @Param({"70000"})
  public int size;

  private float[][] vectors;
  private float[][] queries;
  private ByteBuffersDirectory searchDir;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random random = new Random(42);
    vectors = randomVectors(random, size);
    queries = randomVectors(random, 1000);
    searchDir = new ByteBuffersDirectory();
    try (IndexWriter w = writer(searchDir)) {
      for (int i = 0; i < size; i++) {
        w.addDocument(ImageDocuments.toDocument(image(i), VectorSimilarityFunction.EUCLIDEAN));
      }
      w.forceMerge(1);
    }
    reader = DirectoryReader.open(searchDir);
    searcher = new IndexSearcher(reader);
  }

  private static float[][] randomVectors(Random random, int n) {
    float[][] out = new float[n][DIM];
    for (float[] v : out) {
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
    }
    return out;
  }

  private IndexedImage image(int i) {
    return new IndexedImage(
        "id-" + i, vectors[i % vectors.length], i % 10, i % 10, null, "jmh", 0L, 0L, new byte[200]);
  }

  private static IndexWriter writer(ByteBuffersDirectory dir) throws IOException {
    return new IndexWriter(
        dir,
        new IndexWriterConfig()
            .setRAMBufferSizeMB(256)
            .setCodec(ShardWriter.codec(PEER_PARAMETERS)));
  }

  /** Documents per second into a fresh in-memory index (score x 10,000 = one invocation). */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(INSERTS)
  public long insert() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter w = writer(dir)) {
      for (int i = 0; i < INSERTS; i++) {
        w.addDocument(ImageDocuments.toDocument(image(i), VectorSimilarityFunction.EUCLIDEAN));
      }
      w.commit();
      return w.getDocStats().numDocs;
    }
  }

  /** One kNN query: k 10 with a beam of 40 over one merged segment. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public TopDocs search() throws IOException {
    float[] q = queries[next++ % queries.length];
    return searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, q, 40), 10);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    reader.close();
    searchDir.close();
  }
}
