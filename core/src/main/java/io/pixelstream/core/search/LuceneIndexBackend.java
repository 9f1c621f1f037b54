package io.pixelstream.core.search;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.backend.VersionCopy;
import io.pixelstream.core.index.BackfillSource;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.ShardBackfill;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.index.StoredImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * {@link IndexBackend} over Lucene shards on disk: {@code <root>/<version>/shard-<n>} ({@link
 * IndexLayout}), each written by a {@link ShardWriter} with this backend's HNSW and buffer
 * settings, searched through {@link LucenePinnedVersion}; the served version in {@code
 * <root>/serving.json} ({@link ServingAlias}); copies by {@link ShardBackfill}.
 */
public final class LuceneIndexBackend implements IndexBackend {

  private final Path root;
  private final IndexLayout layout;
  private final ServingAlias alias;
  private final HnswOptions hnsw;
  private final double ramBufferMb;
  private final int mergeNice;
  private final Executor segmentSearch;

  /** A backend for searching and switching, with default write settings. */
  public LuceneIndexBackend(Path indexRoot) {
    this(indexRoot, (Executor) null);
  }

  /**
   * A backend for searching and switching whose searches run the segments of one query in parallel
   * on {@code segmentSearch} (null: one after the other in the caller's thread).
   */
  public LuceneIndexBackend(Path indexRoot, Executor segmentSearch) {
    this(indexRoot, HnswOptions.DEFAULT, 64, ShardWriter.DEFAULT_MERGE_NICE, segmentSearch);
  }

  /**
   * @param hnsw the HNSW graph's parameters of the shards this backend opens
   * @param ramBufferMb each shard's indexing buffer
   * @param mergeNice the niceness of merge threads (see {@code ShardWriter})
   */
  public LuceneIndexBackend(Path indexRoot, HnswOptions hnsw, double ramBufferMb, int mergeNice) {
    this(indexRoot, hnsw, ramBufferMb, mergeNice, null);
  }

  private LuceneIndexBackend(
      Path indexRoot, HnswOptions hnsw, double ramBufferMb, int mergeNice, Executor segmentSearch) {
    this.segmentSearch = segmentSearch;
    this.root = indexRoot;
    this.layout = new IndexLayout(indexRoot);
    this.alias = new ServingAlias(indexRoot);
    this.hnsw = hnsw;
    this.ramBufferMb = ramBufferMb;
    this.mergeNice = mergeNice;
  }

  @Override
  public Optional<Served> served() throws IOException {
    return alias.read().map(s -> new Served(s.version(), s.generation()));
  }

  @Override
  public PinnedVersion open(String modelVersion) throws IOException {
    return LucenePinnedVersion.open(root, modelVersion, segmentSearch);
  }

  @Override
  public long switchTo(String modelVersion) throws IOException {
    return alias.switchTo(modelVersion).generation();
  }

  @Override
  public List<String> retain(int retain) throws IOException {
    Optional<ServingAlias.State> state = alias.read();
    if (state.isEmpty()) {
      return List.of();
    }
    List<String> deleted = new ArrayList<>();
    for (String old : ServingAlias.expired(state.get(), retain)) {
      layout.deleteVersion(old);
      deleted.add(old);
    }
    return deleted;
  }

  @Override
  public int shardCount(String modelVersion) throws IOException {
    return layout.shardDirs(modelVersion).size();
  }

  @Override
  public ShardSink openShard(
      String modelVersion, int shard, int shards, String similarity, int dimension)
      throws IOException {
    layout.checkWritableBy(modelVersion, shards);
    return ShardWriter.open(
        layout.shardDir(modelVersion, shard),
        VectorSimilarityFunction.valueOf(similarity),
        hnsw,
        ramBufferMb,
        mergeNice);
  }

  @Override
  public VersionCopy copy(
      Served from,
      int shard,
      int shards,
      ShardSink target,
      ShardSink ownSource,
      VersionCopy.Reembedder reembedder)
      throws IOException {
    ShardWriter to = (ShardWriter) target; // this backend's own sinks
    if (ownSource != null) {
      return ShardBackfill.startOrResume(
          (ShardWriter) ownSource, to, from.version(), from.generation(), reembedder);
    }
    return ShardBackfill.startOrResume(
        BackfillSource.allShards(layout.shardDirs(from.version())),
        id -> IndexLayout.shardFor(id, shards) == shard,
        to,
        from.version(),
        from.generation(),
        reembedder);
  }

  @Override
  public boolean copied(String modelVersion, int shards, Served from) throws IOException {
    List<Path> dirs = layout.shardDirs(modelVersion);
    if (dirs.size() != shards) {
      return false;
    }
    for (Path dir : dirs) {
      if (!ShardBackfill.finished(
          ShardWriter.lastCommitData(dir), from.version(), from.generation())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<StoredImage> storedImages(String modelVersion, int limit) throws IOException {
    return StoredImages.scan(layout, modelVersion, limit);
  }
}
