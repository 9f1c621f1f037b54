package io.pixelstream.core.io;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Forces everything written to a file system to its disk with one call (Linux {@code syncfs}),
 * where fsyncing many new files one by one makes the journal commit once per file: 200 new files of
 * 20 KB took 113-533 ms to fsync one by one on this project's machines, one {@code syncfs} 9-68 ms
 * (docs/benchmarks.md). It also writes out what other files on that file system hold dirty, which
 * the kernel would have written within its writeback interval anyway.
 */
public final class FileSystemSync {

  private static final int O_RDONLY = 0;

  private FileSystemSync() {}

  /** True when {@link #syncFileSystemOf} can sync (Linux with the GNU C library). */
  public static boolean supported() {
    return LibC.INSTANCE != null;
  }

  /**
   * Forces every file of the file system that holds {@code path} to the disk, with the metadata
   * (directory entries included).
   *
   * @return false when unsupported here (not Linux, or no {@code syncfs} in its C library: the
   *     caller fsyncs file by file), true once synced
   * @throws IOException when the folder cannot be opened or the file system reports a write error
   */
  public static boolean syncFileSystemOf(Path path) throws IOException {
    LibC libc = LibC.INSTANCE;
    if (libc == null) {
      return false;
    }
    int fd = libc.open(path.toString(), O_RDONLY, 0);
    if (fd < 0) {
      throw new IOException("cannot open " + path + " to sync its file system: errno " + errno());
    }
    try {
      if (libc.syncfs(fd) != 0) {
        throw new IOException("syncfs of the file system of " + path + " failed: errno " + errno());
      }
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false; // a C library without syncfs (before glibc 2.14): the caller fsyncs each file
    } finally {
      libc.close(fd);
    }
  }

  private static int errno() {
    return Native.getLastError();
  }
}
