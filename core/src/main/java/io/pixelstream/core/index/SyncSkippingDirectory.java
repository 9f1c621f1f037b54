package io.pixelstream.core.index;

import io.pixelstream.core.io.FileSystemSync;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;

/**
 * A directory whose fsyncs can be switched off for one commit: such a commit writes its files and
 * its {@code segments_N} as usual, so readers in any process see it at once, but nothing forces
 * them to the disk, so it survives a crash of the writing process (the page cache keeps the files)
 * and perhaps not a restart of the machine. The next commit with fsyncs on syncs every file it
 * references that no earlier commit synced, those of the skipped commits included: Lucene's files
 * are written once and never changed, so a file synced once stays synced, while IndexWriter asks
 * for every file of the commit each time (1,432 fsyncs per second seen with two commits a second).
 * When {@value #FILE_SYSTEM_SYNC_MIN_FILES} or more files wait, one {@link FileSystemSync} of the
 * folder's file system replaces their fsyncs. Counts the sync calls it made.
 */
final class SyncSkippingDirectory extends FilterDirectory {

  /** From this many unsynced files on, one file-system sync replaces their fsyncs. */
  static final int FILE_SYSTEM_SYNC_MIN_FILES = 16;

  private volatile boolean skipping;
  private final LongAdder syncCalls = new LongAdder();
  private final Set<String> synced = ConcurrentHashMap.newKeySet();
  private final Path folder;

  SyncSkippingDirectory(FSDirectory in) {
    super(in);
    this.folder = in.getDirectory();
  }

  /** Skips (true) or makes (false) the fsyncs from now on. */
  void skipSyncs(boolean skip) {
    this.skipping = skip;
  }

  /** Sync calls made so far: one per file fsynced, per file-system sync, per directory. */
  long syncs() {
    return syncCalls.sum();
  }

  @Override
  public void sync(Collection<String> names) throws IOException {
    if (skipping) {
      return;
    }
    List<String> unsynced = new ArrayList<>();
    for (String name : names) {
      if (!synced.contains(name)) {
        unsynced.add(name);
      }
    }
    if (unsynced.isEmpty()) {
      return;
    }
    if (unsynced.size() >= FILE_SYSTEM_SYNC_MIN_FILES && FileSystemSync.syncFileSystemOf(folder)) {
      syncCalls.increment();
    } else {
      super.sync(unsynced);
      syncCalls.add(unsynced.size());
    }
    synced.addAll(unsynced);
  }

  @Override
  public void syncMetaData() throws IOException {
    if (!skipping) {
      super.syncMetaData();
      syncCalls.increment();
    }
  }

  @Override
  public void deleteFile(String name) throws IOException {
    synced.remove(name);
    super.deleteFile(name);
  }

  @Override
  public void rename(String source, String dest) throws IOException {
    synced.remove(source);
    synced.remove(dest);
    super.rename(source, dest);
  }
}
