package io.pixelstream.core.search;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StandardDirectoryReader;
import org.apache.lucene.store.Directory;

/**
 * The newest commit of a shard as its folder listing names it, to reopen a reader on it. Lucene's
 * {@link DirectoryReader#openIfChanged(DirectoryReader)} reads the newest commit (its segments file
 * and each segment's info file) to decide whether it changed, and reads it again to open it; the
 * query API asks every 50 ms. Here the listing decides, and a new commit is read once: the API's
 * refresh thread spent most of its CPU samples in those reads, and under load it waited for a core
 * once per scheduler slice it needed (docs/benchmarks.md).
 */
public final class NewestCommit extends IndexCommit {

  private final Directory directory;
  private final long generation;

  private NewestCommit(Directory directory, long generation) {
    this.directory = directory;
    this.generation = generation;
  }

  /**
   * {@code reader} on its shard's newest commit, or null when it already reads that one: {@link
   * DirectoryReader#openIfChanged(DirectoryReader)} for a reader polled often.
   */
  public static DirectoryReader reopen(DirectoryReader reader) throws IOException {
    if (!(reader instanceof StandardDirectoryReader standard)) {
      return DirectoryReader.openIfChanged(reader);
    }
    long newest = newestGeneration(reader.directory());
    if (newest <= standard.getSegmentInfos().getGeneration()) {
      return null;
    }
    return reopen(reader, newest);
  }

  /**
   * {@code reader} on commit {@code listed}; when a newer commit replaced that one while it was
   * read (its files deleted under the reader, which Lucene reports as a missing file or as a
   * corrupt index), on the newest through Lucene's own lookup, which retries until it holds.
   */
  static DirectoryReader reopen(DirectoryReader reader, long listed) throws IOException {
    Directory dir = reader.directory();
    try {
      return DirectoryReader.openIfChanged(reader, new NewestCommit(dir, listed));
    } catch (IOException e) {
      if (newestGeneration(dir) == listed) {
        throw e;
      }
      return DirectoryReader.openIfChanged(reader);
    }
  }

  private static long newestGeneration(Directory dir) throws IOException {
    return SegmentInfos.getLastCommitGeneration(dir.listAll());
  }

  @Override
  public String getSegmentsFileName() {
    return IndexFileNames.fileNameFromGeneration(IndexFileNames.SEGMENTS, "", generation);
  }

  @Override
  public Directory getDirectory() {
    return directory;
  }

  @Override
  public long getGeneration() {
    return generation;
  }

  @Override
  public Collection<String> getFileNames() {
    throw new UnsupportedOperationException("only names the segments file");
  }

  @Override
  public Map<String, String> getUserData() {
    throw new UnsupportedOperationException("only names the segments file");
  }

  @Override
  public int getSegmentCount() {
    throw new UnsupportedOperationException("only names the segments file");
  }

  @Override
  public void delete() {
    throw new UnsupportedOperationException("a reader's commit is not deleted");
  }

  @Override
  public boolean isDeleted() {
    return false;
  }
}
