package io.pixelstream.deploy.kafka;

import java.io.IOException;
import java.util.Arrays;

/**
 * The entry point of a child JVM that must not outlive its parent: it runs another main class and
 * halts the JVM as soon as its standard input reaches end of file, which happens when the parent
 * process ends in any way (a SIGKILL or the OOM killer included), since the parent holds the other
 * end of that pipe and never writes to it.
 *
 * <pre>java -cp ... io.pixelstream.deploy.kafka.ParentWatch kafka.Kafka server.properties</pre>
 */
public final class ParentWatch {

  /** The exit status when the parent went away. */
  public static final int PARENT_GONE = 143;

  private ParentWatch() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ParentWatch <main-class> [args...]");
    }
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // the parent never writes; only end of file matters
                }
              } catch (IOException e) {
                // a broken pipe means the same
              }
              Runtime.getRuntime().halt(PARENT_GONE);
            },
            "parent-watch");
    watch.setDaemon(true);
    watch.start();
    Class.forName(args[0])
        .getMethod("main", String[].class)
        .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
