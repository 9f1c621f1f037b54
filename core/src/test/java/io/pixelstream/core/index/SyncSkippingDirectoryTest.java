package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pixelstream.core.io.FileSystemSync;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncSkippingDirectoryTest {

  private static List<String> write(SyncSkippingDirectory d, String prefix, int n)
      throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = prefix + i;
      try (IndexOutput out = d.createOutput(name, IOContext.DEFAULT)) {
        out.writeInt(i);
      }
      names.add(name);
    }
    return names;
  }

  @Test
  void fsyncsFewFilesOneByOneAndOnlyOnce(@TempDir Path dir) throws Exception {
    try (SyncSkippingDirectory d = new SyncSkippingDirectory(FSDirectory.open(dir))) {
      List<String> few = write(d, "few", 3);
      d.sync(few);
      assertThat(d.syncs()).isEqualTo(3);
      d.sync(few);
      assertThat(d.syncs()).as("written once, synced once").isEqualTo(3);
    }
  }

  @Test
  void manyFilesTakeOneFileSystemSync(@TempDir Path dir) throws Exception {
    assumeTrue(FileSystemSync.supported(), "needs Linux with the GNU C library");
    try (SyncSkippingDirectory d = new SyncSkippingDirectory(FSDirectory.open(dir))) {
      int n = SyncSkippingDirectory.FILE_SYSTEM_SYNC_MIN_FILES;
      List<String> many = write(d, "many", n);
      d.sync(many);
      assertThat(d.syncs()).isEqualTo(1);
      List<String> more = write(d, "more", 2);
      List<String> all = new ArrayList<>(many);
      all.addAll(more);
      d.sync(all);
      assertThat(d.syncs()).as("only the two new files").isEqualTo(3);
    }
  }

  @Test
  void skippedSyncsAreMadeByTheNextSyncAndADeletedNameSyncsAgain(@TempDir Path dir)
      throws Exception {
    try (SyncSkippingDirectory d = new SyncSkippingDirectory(FSDirectory.open(dir))) {
      List<String> names = write(d, "f", 2);
      d.skipSyncs(true);
      d.sync(names);
      d.syncMetaData();
      assertThat(d.syncs()).isZero();
      d.skipSyncs(false);
      d.sync(names);
      assertThat(d.syncs()).isEqualTo(2);
      d.deleteFile("f0");
      write(d, "f", 1); // f0 again, new content
      d.sync(List.of("f0", "f1"));
      assertThat(d.syncs()).isEqualTo(3);
    }
  }
}
