package io.pixelstream.core.cli;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ShardedIndexWriter;
import io.pixelstream.core.search.LiveIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Force-merges every shard of one model version's index, for after a bulk load or backfill: a query
 * searches one HNSW graph per segment, so fewer segments answer faster (see {@code
 * docs/benchmarks.md}). Each shard keeps its last commit's data, so a streaming job restarted on
 * the index resumes from the same source offsets. Refuses while a job writes the index.
 *
 * <pre>
 * java -cp core.jar io.pixelstream.core.cli.MergeIndexCommand --index-root data/index --version m1
 * </pre>
 */
public final class MergeIndexCommand {

  private static final String USAGE =
      """
      Usage: merge-index --version V [--index-root data/index] [--segments 1]
                         [--vector-format float32|int8|int4]
        Force-merges each shard of model version V to at most --segments segments, the merged
        segments' vectors written in --vector-format (default float32; give the job's
        index.vector-format). Stop the ingest job writing that version first (it holds the
        shards' write locks).
      """;

  private MergeIndexCommand() {}

  public static void main(String[] args) {
    try {
      CliArgs cli =
          CliArgs.parse(args, Set.of("index-root", "version", "segments", "vector-format"));
      if (cli.helpRequested()) {
        System.out.print(USAGE);
        return;
      }
      Path root = Path.of(cli.get("index-root", "data/index"));
      String version = cli.required("version");
      int segments = cli.getInt("segments", 1);
      int before = segmentCount(root, version);
      long t0 = System.nanoTime();
      HnswOptions.VectorFormat format =
          cli.getChoice("vector-format", HnswOptions.VectorFormat.FLOAT32);
      merge(root, version, segments, HnswOptions.DEFAULT.withVectorFormat(format));
      System.out.printf(
          "merged %s from %d to %d segments in %.1f s%n",
          new IndexLayout(root).versionDir(version),
          before,
          segmentCount(root, version),
          (System.nanoTime() - t0) / 1e9);
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      System.err.println("merge-index: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    }
  }

  /**
   * Merges every shard of {@code version} under {@code root} to at most {@code maxSegments}.
   *
   * @throws IllegalStateException when the version has no shards or a writer holds a shard
   */
  public static void merge(Path root, String version, int maxSegments) throws IOException {
    merge(root, version, maxSegments, HnswOptions.DEFAULT);
  }

  /**
   * {@link #merge(Path, String, int)}, the merged segments written with {@code hnsw}'s options
   * (give the ones the version was written with: a merge rewrites the vectors it merges).
   */
  public static void merge(Path root, String version, int maxSegments, HnswOptions hnsw)
      throws IOException {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("segments must be >= 1, got " + maxSegments);
    }
    IndexLayout layout = new IndexLayout(root);
    int shards = layout.shardDirs(version).size();
    if (shards == 0) {
      throw new IllegalStateException("no shards of version '" + version + "' under " + root);
    }
    // The similarity only applies to documents added; merging keeps each segment's own.
    try (ShardedIndexWriter writer =
        ShardedIndexWriter.open(root, version, shards, VectorSimilarityFunction.EUCLIDEAN, hnsw)) {
      writer.forceMergeAndCommit(maxSegments);
    } catch (LockObtainFailedException e) {
      throw new IllegalStateException(
          "a writer (a running ingest job?) holds a shard of "
              + layout.versionDir(version)
              + "; stop it first ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** Segments in the committed index of {@code version}, over all shards. */
  public static int segmentCount(Path root, String version) throws IOException {
    try (LiveIndex index = LiveIndex.open(root, version)) {
      IndexSearcher s = index.acquire();
      try {
        return s.getIndexReader().leaves().size();
      } finally {
        index.release(s);
      }
    }
  }
}
