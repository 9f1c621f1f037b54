package io.pixelstream.core.io;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The few GNU C library calls the project makes (through JNA); absent off Linux. */
interface LibC extends Library {

  /** The loaded library, or null off Linux or where a call is missing (glibc before 2.30). */
  LibC INSTANCE = Loader.load();

  int gettid();

  int getpriority(int which, int who);

  int setpriority(int which, int who, int prio);

  int mallopt(int param, int value);

  int open(String path, int flags, int mode);

  int dup(int fd);

  int dup2(int from, int to);

  int close(int fd);

  int syncfs(int fd);

  /** Loads the library once and checks the newest call is there, so callers fail here or never. */
  final class Loader {
    private static final Logger LOG = LoggerFactory.getLogger(LibC.class);

    private Loader() {}

    static LibC load() {
      if (!Platform.isLinux()) {
        return null;
      }
      try {
        LibC libc = Native.load("c", LibC.class);
        libc.gettid();
        return libc;
      } catch (LinkageError | RuntimeException e) {
        LOG.info("no GNU C library calls (thread priorities, malloc settings): {}", e.toString());
        return null;
      }
    }
  }
}
