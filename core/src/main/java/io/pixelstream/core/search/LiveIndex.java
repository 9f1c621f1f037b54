package io.pixelstream.core.search;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.LuceneClasses;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A searcher over every shard of one model version, as of each shard's last commit. Readers open
 * commit points only, so a half-written shard is never seen; {@link #maybeRefresh()} picks up new
 * commits (and shards that appear later) and swaps the searcher atomically. Every answer uses one
 * {@link #acquire() acquired} searcher, so it never mixes two refreshes or two model versions.
 *
 * <pre>{@code
 * try (LiveIndex index = LiveIndex.open(indexRoot, "v1")) {
 *   IndexSearcher s = index.acquire();
 *   try { ... } finally { index.release(s); }
 * }
 * }</pre>
 */
public final class LiveIndex implements Closeable {

  static {
    LuceneClasses.initialize();
  }

  private final IndexLayout layout;
  private final String modelVersion;
  private final Map<Path, Directory> directories = new HashMap<>();
  private final Executor segmentSearch;
  private final Manager manager;

  private LiveIndex(IndexLayout layout, String modelVersion, Executor segmentSearch)
      throws IOException {
    this.layout = layout;
    this.modelVersion = modelVersion;
    this.segmentSearch = segmentSearch;
    ShardsReader first = openAll(new ShardsReader(List.of(), List.of()));
    this.manager = new Manager(first == null ? new ShardsReader(List.of(), List.of()) : first);
  }

  /** Opens the committed shards of {@code modelVersion} under {@code indexRoot} (none is fine). */
  public static LiveIndex open(Path indexRoot, String modelVersion) throws IOException {
    return open(indexRoot, modelVersion, null);
  }

  /**
   * As {@link #open(Path, String)}, its searchers searching the segments of one query in parallel
   * on {@code segmentSearch} (Lucene's per-segment HNSW search; null: one after the other in the
   * caller's thread).
   */
  public static LiveIndex open(Path indexRoot, String modelVersion, Executor segmentSearch)
      throws IOException {
    return new LiveIndex(new IndexLayout(indexRoot), modelVersion, segmentSearch);
  }

  public String modelVersion() {
    return modelVersion;
  }

  /** The current searcher; hand it back with {@link #release}. */
  public IndexSearcher acquire() throws IOException {
    return manager.acquire();
  }

  public void release(IndexSearcher searcher) throws IOException {
    manager.release(searcher);
  }

  /** Opens what was committed since the last refresh; true when the searcher changed. */
  public boolean maybeRefresh() throws IOException {
    IndexSearcher before = manager.acquire();
    try {
      manager.maybeRefreshBlocking();
    } finally {
      manager.release(before);
    }
    IndexSearcher after = manager.acquire();
    try {
      return after != before;
    } finally {
      manager.release(after);
    }
  }

  /** Shards opened so far, their commit data and document count. */
  public List<ShardState> shards() throws IOException {
    IndexSearcher s = acquire();
    try {
      List<ShardState> out = new ArrayList<>();
      ShardsReader reader = (ShardsReader) s.getIndexReader();
      for (int i = 0; i < reader.paths.size(); i++) {
        DirectoryReader dr = reader.readers.get(i);
        IndexCommit commit = dr.getIndexCommit();
        out.add(
            new ShardState(
                reader.paths.get(i).getFileName().toString(),
                dr.numDocs(),
                commit.getUserData(),
                commit.getGeneration(),
                writtenAt(reader.paths.get(i).resolve(commit.getSegmentsFileName()))));
      }
      return out;
    } finally {
      release(s);
    }
  }

  /** When {@code segmentsFile} was written (epoch ms), or -1 once it is gone. */
  private static long writtenAt(Path segmentsFile) {
    try {
      return Files.getLastModifiedTime(segmentsFile).toMillis();
    } catch (IOException e) {
      return -1; // a newer commit replaced it
    }
  }

  /**
   * One shard as the current searcher sees it.
   *
   * @param writtenAt when its commit's segments file was written (epoch ms), or -1
   */
  public record ShardState(
      String name, int documents, Map<String, String> commitData, long generation, long writtenAt) {

    /** The commit's wall-clock time (epoch ms), or -1 when the commit did not record one. */
    public long commitTime() {
      String t = commitData.get(IndexFields.COMMIT_TIME);
      return t == null ? -1 : Long.parseLong(t);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      manager.close();
    } finally {
      for (Directory d : directories.values()) {
        d.close();
      }
      directories.clear();
    }
  }

  /**
   * A reader over the shards' readers: reuses a shard's reader when nothing was committed there,
   * reopens it when something was, opens a shard seen for the first time. Null when nothing
   * changed.
   */
  private synchronized ShardsReader openAll(ShardsReader previous) throws IOException {
    List<Path> paths = new ArrayList<>();
    List<DirectoryReader> readers = new ArrayList<>();
    List<DirectoryReader> opened = new ArrayList<>();
    try {
      for (Path shard : layout.shardDirs(modelVersion)) {
        int at = previous.paths.indexOf(shard);
        DirectoryReader reader;
        if (at < 0) {
          Directory dir = directories.computeIfAbsent(shard, LiveIndex::openDirectory);
          if (!DirectoryReader.indexExists(dir)) {
            continue;
          }
          reader = DirectoryReader.open(dir);
          opened.add(reader);
        } else {
          DirectoryReader before = previous.readers.get(at);
          reader = NewestCommit.reopen(before);
          if (reader == null) {
            reader = before;
          } else {
            opened.add(reader);
          }
        }
        paths.add(shard);
        readers.add(reader);
      }
      if (opened.isEmpty() && paths.equals(previous.paths)) {
        return null;
      }
      return new ShardsReader(paths, readers);
    } finally {
      // The new reader holds its own reference on each shard reader; drop the one we opened with.
      for (DirectoryReader r : opened) {
        r.decRef();
      }
    }
  }

  /** The shards' readers side by side, with the folder each came from. */
  private static final class ShardsReader extends MultiReader {
    final List<Path> paths;
    final List<DirectoryReader> readers;

    ShardsReader(List<Path> paths, List<DirectoryReader> readers) throws IOException {
      super(readers.toArray(IndexReader[]::new), false); // false: incRef, not own, the shards
      this.paths = List.copyOf(paths);
      this.readers = List.copyOf(readers);
    }
  }

  private static Directory openDirectory(Path path) {
    try {
      return FSDirectory.open(path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private final class Manager extends ReferenceManager<IndexSearcher> {

    Manager(ShardsReader initial) {
      current = new IndexSearcher(initial, segmentSearch);
    }

    @Override
    protected void decRef(IndexSearcher reference) throws IOException {
      reference.getIndexReader().decRef();
    }

    @Override
    protected IndexSearcher refreshIfNeeded(IndexSearcher reference) throws IOException {
      ShardsReader next = openAll((ShardsReader) reference.getIndexReader());
      return next == null ? null : new IndexSearcher(next, segmentSearch);
    }

    @Override
    protected boolean tryIncRef(IndexSearcher reference) {
      return reference.getIndexReader().tryIncRef();
    }

    @Override
    protected int getRefCount(IndexSearcher reference) {
      return reference.getIndexReader().getRefCount();
    }
  }
}
