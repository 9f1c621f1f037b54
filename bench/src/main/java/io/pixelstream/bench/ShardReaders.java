package io.pixelstream.bench;

import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.search.NewestCommit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;

/**
 * A searcher's view of one model version's shards on disk, for the benchmark's watchers: a reader
 * per shard, reopened when the shard's newest commit changed. A shard with no commit yet has none.
 * Call {@link io.pixelstream.core.index.LuceneClasses#initialize} on the thread that starts the
 * reading one.
 */
final class ShardReaders implements AutoCloseable {

  private final IndexLayout layout;
  private final String version;
  private final DirectoryReader[] readers;

  ShardReaders(Path indexRoot, String version, int shards) {
    this.layout = new IndexLayout(indexRoot);
    this.version = version;
    this.readers = new DirectoryReader[shards];
  }

  /** Opens or reopens each shard that changed; returns the readers new since the last call. */
  List<DirectoryReader> refresh() throws IOException {
    List<DirectoryReader> opened = new ArrayList<>();
    for (int s = 0; s < readers.length; s++) {
      DirectoryReader newer = reopen(readers[s], layout.shardDir(version, s));
      if (newer != readers[s]) {
        readers[s] = newer;
        opened.add(newer);
      }
    }
    return opened;
  }

  /** The live documents the readers hold. */
  long numDocs() {
    long total = 0;
    for (DirectoryReader r : readers) {
      total += r == null ? 0 : r.numDocs();
    }
    return total;
  }

  private static DirectoryReader reopen(DirectoryReader reader, Path dir) throws IOException {
    if (reader == null) {
      FSDirectory d = FSDirectory.open(dir);
      if (!DirectoryReader.indexExists(d)) {
        d.close();
        return null;
      }
      return DirectoryReader.open(d);
    }
    DirectoryReader newer = NewestCommit.reopen(reader);
    if (newer == null) {
      return reader;
    }
    reader.close();
    return newer;
  }

  @Override
  public void close() {
    for (DirectoryReader r : readers) {
      try {
        if (r != null) {
          r.close();
        }
      } catch (IOException ignored) {
        // closing at the end of a benchmark
      }
    }
  }
}
