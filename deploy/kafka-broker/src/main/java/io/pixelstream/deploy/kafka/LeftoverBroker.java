package io.pixelstream.deploy.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVM (a broker, a ZooKeeper, a Solr node) a data folder's last user left running: its
 * pid is kept in {@code broker.pid}, and a new start stops a process still running under that pid
 * with this data folder on its command line (a parent that died before {@link ParentWatch} existed,
 * or a child that did not notice yet), then waits for the ports to be free.
 */
public final class LeftoverBroker {

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverBroker.class);
  static final String PID_FILE = "broker.pid";

  private LeftoverBroker() {}

  public static void record(Path dataDir, long pid) throws IOException {
    Files.writeString(dataDir.resolve(PID_FILE), Long.toString(pid));
  }

  public static void forget(Path dataDir) throws IOException {
    Files.deleteIfExists(dataDir.resolve(PID_FILE));
  }

  /** Stops what the pid file names, if it is a broker of {@code dataDir}; waits for the ports. */
  public static void stop(Path dataDir, Duration wait, int... ports) throws IOException {
    Path pidFile = dataDir.resolve(PID_FILE);
    Optional<ProcessHandle> left = Optional.empty();
    if (Files.exists(pidFile)) {
      try {
        left = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
      } catch (NumberFormatException e) {
        // a damaged pid file names nothing
      }
    }
    left.filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(dataDir.toString()))
        .ifPresent(
            p -> {
              LOG.warn("stopping the process left running on {} (pid {})", dataDir, p.pid());
              p.destroy();
              try {
                p.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
              } catch (Exception e) {
                p.destroyForcibly();
              }
            });
    forget(dataDir);
    long deadline = System.nanoTime() + wait.toNanos();
    for (int port : ports) {
      while (inUse(port)) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "port "
                  + port
                  + " of the process in "
                  + dataDir
                  + " is taken by another process; stop it or pick another port");
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for port " + port, e);
        }
      }
    }
  }

  private static boolean inUse(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
