package io.pixelstream.core.io;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what native libraries write to the process's standard error to a log file while an action
 * runs, for messages no Java logger sees: libtorch prints a deprecation notice the first time DJL
 * calls it, past log4j, onto the console of every program that embeds. The file is {@code
 * native.log} in the folder the system property {@value #LOG_DIR} names (the launchers set it);
 * without it, or off Linux, the action runs with standard error as it is.
 */
public final class NativeStderr {

  /** The system property naming the log folder (the same the log4j configuration uses). */
  public static final String LOG_DIR = "pixelstream.log.dir";

  private static final Logger LOG = LoggerFactory.getLogger(NativeStderr.class);
  private static final int STDERR = 2;
  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_APPEND = 02000;

  private NativeStderr() {}

  /** Runs {@code action} with file descriptor 2 on {@code <log dir>/native.log} when set. */
  public static synchronized <T> T toLogWhile(java.util.function.Supplier<T> action) {
    String dir = System.getProperty(LOG_DIR);
    LibC libc = LibC.INSTANCE;
    if (dir == null || libc == null) {
      return action.get();
    }
    String file = Path.of(dir, "native.log").toString();
    int log = libc.open(file, O_WRONLY | O_CREAT | O_APPEND, 0644);
    int saved = log < 0 ? -1 : libc.dup(STDERR);
    if (saved < 0 || libc.dup2(log, STDERR) < 0) {
      LOG.debug("native standard error stays on the console: cannot open {}", file);
      closeAll(libc, log, saved);
      return action.get();
    }
    try {
      return action.get();
    } finally {
      System.err.flush();
      libc.dup2(saved, STDERR);
      closeAll(libc, log, saved);
    }
  }

  private static void closeAll(LibC libc, int... fds) {
    for (int fd : fds) {
      if (fd >= 0) {
        libc.close(fd);
      }
    }
  }
}
