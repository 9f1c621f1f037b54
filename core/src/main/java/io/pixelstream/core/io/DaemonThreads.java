package io.pixelstream.core.io;

import java.util.concurrent.ThreadFactory;

/** Thread factories for executors whose threads must not keep the JVM alive. */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Daemon threads, each named {@code name}. */
  public static ThreadFactory named(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
