package io.pixelstream.core.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Writes a whole model version's index outside the streaming job (bulk loads, benchmarks, test
 * fixtures): each image goes to the shard {@link IndexLayout#shardFor} picks, as the job routes it,
 * and {@link #commit} commits every shard with the commit data readers expect.
 *
 * <pre>{@code
 * try (ShardedIndexWriter w = ShardedIndexWriter.open(root, "v1", 2, VectorSimilarityFunction.EUCLIDEAN)) {
 *   w.upsert(image);
 *   w.commit();
 * }
 * }</pre>
 */
public final class ShardedIndexWriter implements Closeable {

  private final String modelVersion;
  private final ShardWriter[] shards;

  private ShardedIndexWriter(String modelVersion, ShardWriter[] shards) {
    this.modelVersion = modelVersion;
    this.shards = shards;
  }

  /** Opens (or creates) {@code shards} shards of {@code modelVersion} under {@code indexRoot}. */
  public static ShardedIndexWriter open(
      Path indexRoot, String modelVersion, int shards, VectorSimilarityFunction similarity)
      throws IOException {
    return open(indexRoot, modelVersion, shards, similarity, HnswOptions.DEFAULT);
  }

  /** {@link #open(Path, String, int, VectorSimilarityFunction)} with {@code hnsw}'s options. */
  public static ShardedIndexWriter open(
      Path indexRoot,
      String modelVersion,
      int shards,
      VectorSimilarityFunction similarity,
      HnswOptions hnsw)
      throws IOException {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    }
    IndexLayout layout = new IndexLayout(indexRoot);
    layout.checkShardCount(modelVersion, shards);
    ShardWriter[] writers = new ShardWriter[shards];
    try {
      for (int s = 0; s < shards; s++) {
        writers[s] =
            ShardWriter.open(
                layout.shardDir(modelVersion, s),
                similarity,
                hnsw,
                64,
                ShardWriter.DEFAULT_MERGE_NICE);
      }
    } catch (IOException | RuntimeException e) {
      for (ShardWriter w : writers) {
        if (w != null) {
          w.close();
        }
      }
      throw e;
    }
    return new ShardedIndexWriter(modelVersion, writers);
  }

  /** Adds or replaces {@code image} in its shard. */
  public void upsert(IndexedImage image) throws IOException {
    shards[IndexLayout.shardFor(image.id(), shards.length)].upsert(image);
  }

  /** Commits every shard, recording the commit time and model version. */
  public void commit() throws IOException {
    Map<String, String> data =
        Map.of(
            IndexFields.COMMIT_TIME,
            Long.toString(System.currentTimeMillis()),
            IndexFields.COMMIT_MODEL_VERSION,
            modelVersion,
            IndexFields.COMMIT_SHARDS,
            Integer.toString(shards.length));
    for (ShardWriter w : shards) {
      w.commit(data);
    }
  }

  /**
   * Merges every shard down to at most {@code maxSegments} segments and commits: after a bulk load,
   * a query then searches one HNSW graph per shard instead of one per segment. Each shard keeps its
   * last commit's data (a streaming job's source offsets among them) with a new commit time.
   */
  public void forceMergeAndCommit(int maxSegments) throws IOException {
    for (ShardWriter w : shards) {
      w.forceMerge(maxSegments);
    }
    commitKeepingData();
  }

  /**
   * Runs the merges the shards' merge policy asks for, as a streaming job's would once nothing more
   * arrives, and commits as {@link #forceMergeAndCommit} does.
   */
  public void awaitMergesAndCommit() throws IOException {
    for (ShardWriter w : shards) {
      w.awaitMerges();
    }
    commitKeepingData();
  }

  /** Commits every shard with its last commit's data and a new commit time. */
  private void commitKeepingData() throws IOException {
    for (ShardWriter w : shards) {
      Map<String, String> data = w.commitData();
      data.put(IndexFields.COMMIT_TIME, Long.toString(System.currentTimeMillis()));
      data.putIfAbsent(IndexFields.COMMIT_MODEL_VERSION, modelVersion);
      w.commit(data);
    }
  }

  /** Closes every shard, discarding what was not committed. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (ShardWriter w : shards) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
