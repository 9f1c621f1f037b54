package io.pixelstream.core.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The served version's committed images a {@link ShardBackfill} copies from: either the one shard
 * with the same number (same shard count: the writer owns it and keeps deleting from it), or every
 * shard of the served version, read-only, when the new version has another shard count (each
 * backfill then takes the ids routed to its own shard, and the served version is left as it was).
 */
public abstract class BackfillSource implements Closeable {

  private BackfillSource() {}

  /** The committed images now; null when nothing was committed. */
  abstract IndexReader reader();

  /** Called after the served shard was committed: see its new commit. */
  abstract void refresh() throws IOException;

  /** The served shard with the new shard's number, which its writer keeps deleting from. */
  public static BackfillSource ownShard(ShardWriter shard) throws IOException {
    return new Own(shard);
  }

  /** Every shard in {@code shardDirs}, read-only as last committed. */
  public static BackfillSource allShards(List<Path> shardDirs) throws IOException {
    List<Directory> dirs = new ArrayList<>();
    List<DirectoryReader> readers = new ArrayList<>();
    try {
      for (Path p : shardDirs) {
        Directory d = FSDirectory.open(p);
        dirs.add(d);
        if (DirectoryReader.indexExists(d)) {
          readers.add(DirectoryReader.open(d));
        }
      }
      return new ReadOnly(dirs, readers);
    } catch (IOException | RuntimeException e) {
      for (DirectoryReader r : readers) {
        r.close();
      }
      for (Directory d : dirs) {
        d.close();
      }
      throw e;
    }
  }

  private static final class Own extends BackfillSource {
    private final ShardWriter shard;
    private DirectoryReader reader;

    Own(ShardWriter shard) throws IOException {
      this.shard = shard;
      this.reader = shard.openCommitted();
    }

    @Override
    IndexReader reader() {
      return reader;
    }

    @Override
    void refresh() throws IOException {
      if (reader == null) {
        reader = shard.openCommitted();
        return;
      }
      DirectoryReader next = DirectoryReader.openIfChanged(reader);
      if (next != null) {
        reader.close();
        reader = next;
      }
    }

    @Override
    public void close() throws IOException {
      if (reader != null) {
        reader.close();
      }
    }
  }

  private static final class ReadOnly extends BackfillSource {
    private final List<Directory> dirs;
    private final MultiReader reader;

    ReadOnly(List<Directory> dirs, List<DirectoryReader> readers) throws IOException {
      this.dirs = dirs;
      this.reader =
          readers.isEmpty() ? null : new MultiReader(readers.toArray(IndexReader[]::new), true);
    }

    @Override
    IndexReader reader() {
      return reader;
    }

    @Override
    void refresh() {
      // nobody writes the served version while its shards are read this way
    }

    @Override
    public void close() throws IOException {
      try {
        if (reader != null) {
          reader.close();
        }
      } finally {
        for (Directory d : dirs) {
          d.close();
        }
      }
    }
  }
}
