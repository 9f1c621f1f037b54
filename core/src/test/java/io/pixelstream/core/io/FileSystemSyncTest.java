package io.pixelstream.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemSyncTest {

  @Test
  void syncsTheFileSystemOfAFolderAndOfAFile(@TempDir Path dir) throws Exception {
    assumeTrue(FileSystemSync.supported(), "needs Linux with the GNU C library");
    Path file = Files.writeString(dir.resolve("a"), "x");
    assertThat(FileSystemSync.syncFileSystemOf(dir)).isTrue();
    assertThat(FileSystemSync.syncFileSystemOf(file)).isTrue();
  }

  @Test
  void aMissingPathIsAnErrorNamingIt(@TempDir Path dir) {
    assumeTrue(FileSystemSync.supported(), "needs Linux with the GNU C library");
    Path missing = dir.resolve("gone");
    assertThatThrownBy(() -> FileSystemSync.syncFileSystemOf(missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("errno 2");
  }
}
