package io.pixelstream.core.index;

import io.pixelstream.core.io.Folders;
import io.pixelstream.core.model.ModelArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where shards live: {@code <root>/<model-version>/shard-<n>}, one Lucene index per shard. A model
 * version's vectors never share an index with another version's.
 */
public record IndexLayout(Path root) {

  public static final String SHARD_PREFIX = "shard-";

  /** The folder of {@code modelVersion}'s shards. */
  public Path versionDir(String modelVersion) {
    if (!ModelArtifacts.VERSION.matcher(modelVersion).matches()) {
      throw new IllegalArgumentException("modelVersion is not a safe folder name: " + modelVersion);
    }
    return root.resolve(modelVersion);
  }

  /** The index folder of shard {@code shard} of {@code modelVersion}. */
  public Path shardDir(String modelVersion, int shard) {
    if (shard < 0) {
      throw new IllegalArgumentException("shard must be >= 0, got " + shard);
    }
    return versionDir(modelVersion).resolve(SHARD_PREFIX + shard);
  }

  /** The existing shard folders of {@code modelVersion}, by shard number. */
  public List<Path> shardDirs(String modelVersion) throws IOException {
    Path dir = versionDir(modelVersion);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> p.getFileName().toString().matches(SHARD_PREFIX + "\\d+"))
          .sorted((a, b) -> Integer.compare(shardNumber(a), shardNumber(b)))
          .toList();
    }
  }

  /**
   * Checks that {@code modelVersion}'s index is empty or has exactly {@code shards} shards: ids are
   * routed by shard count, so writing with another count would duplicate them across shards.
   *
   * @throws IllegalStateException naming the index and both counts
   */
  public void checkShardCount(String modelVersion, int shards) throws IOException {
    List<Path> existing = shardDirs(modelVersion);
    if (!existing.isEmpty() && existing.size() != shards) {
      throw shardCountMismatch(modelVersion, existing.size(), shards);
    }
  }

  private IllegalStateException shardCountMismatch(String modelVersion, int has, int asked) {
    return new IllegalStateException(
        "index "
            + versionDir(modelVersion)
            + " has "
            + has
            + " shards but "
            + asked
            + " were asked for; ids are routed by shard count, so keep the count of an index"
            + " (or promote a model: its backfill re-routes every id to the new count)");
  }

  /**
   * Checks, while other writers may be creating their shards of the same version, that one of
   * {@code shards} writers may write {@code modelVersion}: no shard numbered {@code shards} or more
   * exists, no committed shard records another count ({@link IndexFields#COMMIT_SHARDS}), and an
   * index written before counts were recorded has all its shards committed in that number.
   *
   * @throws IllegalStateException naming the index and both counts
   */
  public void checkWritableBy(String modelVersion, int shards) throws IOException {
    List<Path> existing = shardDirs(modelVersion);
    int unrecorded = 0;
    for (Path dir : existing) {
      Map<String, String> data = ShardWriter.lastCommitData(dir);
      String recorded = data.get(IndexFields.COMMIT_SHARDS);
      if (shardNumber(dir) >= shards
          || (recorded != null && Integer.parseInt(recorded) != shards)) {
        throw shardCountMismatch(
            modelVersion, recorded != null ? Integer.parseInt(recorded) : existing.size(), shards);
      }
      if (recorded == null && !data.isEmpty()) {
        unrecorded++;
      }
    }
    if (unrecorded > 0 && unrecorded == existing.size() && unrecorded != shards) {
      throw shardCountMismatch(modelVersion, unrecorded, shards);
    }
  }

  /** Deletes {@code modelVersion}'s shards (retention of old versions); nothing when absent. */
  public void deleteVersion(String modelVersion) throws IOException {
    Folders.deleteRecursively(versionDir(modelVersion));
  }

  private static int shardNumber(Path shard) {
    return shardNumber(shard.getFileName().toString());
  }

  /** The number in a shard folder's name ({@code shard-<n>}). */
  public static int shardNumber(String folderName) {
    if (!folderName.startsWith(SHARD_PREFIX)) {
      throw new IllegalArgumentException("not a shard folder name: " + folderName);
    }
    return Integer.parseInt(folderName.substring(SHARD_PREFIX.length()));
  }

  /**
   * The shard an id belongs to among {@code shards}. Stable across JVMs ({@link String#hashCode} is
   * specified), so writers and readers agree as long as the shard count of a version is fixed.
   */
  public static int shardFor(String id, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    }
    return Math.floorMod(id.hashCode(), shards);
  }
}
