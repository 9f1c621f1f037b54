package io.pixelstream.deploy.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child JVM from a classpath recorded at build time (a Kafka broker, a ZooKeeper,
 * a Solr node): started under {@link ParentWatch} so it never outlives this JVM, its output
 * appended to one log file, ready once that log shows a given line, stopped with SIGTERM or killed
 * with SIGKILL as a crash would.
 *
 * <pre>{@code
 * ServerProcess zk = new ServerProcess("ZooKeeper", dir, dir.resolve("zk.log"), "128m",
 *     List.of(), classpath, "org.apache.zookeeper.server.ZooKeeperServerMain", List.of("2181", dir.toString()));
 * zk.start("binding to port", Duration.ofSeconds(60), 2181);
 * }</pre>
 */
public final class ServerProcess {

  private final String name;
  private final Path dataDir;
  private final Path logFile;
  private final List<String> command;
  private Process process;
  private Thread shutdownHook;

  /**
   * @param name what the child is, for messages
   * @param dataDir its folder: it holds the pid file, and a leftover child is found by it
   * @param jvmArgs options before the main class (system properties, say)
   */
  public ServerProcess(
      String name,
      Path dataDir,
      Path logFile,
      String heap,
      List<String> jvmArgs,
      String classpath,
      String mainClass,
      List<String> args) {
    this.name = name;
    this.dataDir = dataDir.toAbsolutePath();
    this.logFile = logFile.toAbsolutePath();
    this.command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseG1GC");
    command.add("-Djava.awt.headless=true");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath + java.io.File.pathSeparator + location(ServerProcess.class));
    command.add(ParentWatch.class.getName());
    command.add(mainClass);
    command.addAll(args);
  }

  public Path logFile() {
    return logFile;
  }

  /** The child's process id; -1 when it does not run. */
  public long pid() {
    return isRunning() ? process.pid() : -1;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Stops a leftover child of the same folder, starts this one and waits until its log shows {@code
   * readyLine}.
   *
   * @param ports the child's ports, which must be free before it starts
   */
  public synchronized void start(String readyLine, Duration timeout, int... ports)
      throws IOException, InterruptedException {
    if (isRunning()) {
      throw new IllegalStateException(name + " already running");
    }
    Files.createDirectories(dataDir);
    LeftoverBroker.stop(dataDir, Duration.ofSeconds(15), ports);
    Files.deleteIfExists(logFile);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    LeftoverBroker.record(dataDir, process.pid());
    Process started = process;
    shutdownHook = new Thread(started::destroyForcibly, name + "-reaper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = tail(logFile);
        halt(false);
        throw new IOException(name + " exited at start; log:\n" + log);
      }
      if (Files.exists(logFile) && Files.readString(logFile).contains(readyLine)) {
        return;
      }
      Thread.sleep(100);
    }
    halt(false);
    throw new IOException(name + " not ready after " + timeout + "; log:\n" + tail(logFile));
  }

  /** Stops the child (SIGTERM, then SIGKILL after 30 s). */
  public synchronized void stop() throws InterruptedException {
    halt(false);
  }

  /** Kills the child at once (SIGKILL), as a crash would. */
  public synchronized void kill() throws InterruptedException {
    halt(true);
  }

  private void halt(boolean crash) throws InterruptedException {
    if (process == null) {
      return;
    }
    if (crash) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } else {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try {
      LeftoverBroker.forget(dataDir);
    } catch (IOException e) {
      // a stale pid file names a process that no longer runs this child: harmless
    }
    process = null;
  }

  /** The last 40 lines of {@code log}. */
  public static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** A port free now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** The classpath {@code owner}'s module recorded at build time in resource {@code resource}. */
  public static String recordedClasspath(Class<?> owner, String resource) throws IOException {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            "resource " + resource + " is missing: build " + owner.getName() + "'s module");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim()
          + java.io.File.pathSeparator
          + location(owner);
    }
  }

  /** Where {@code type} was loaded from (a jar or a classes folder). */
  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + type.getName(), e);
    }
  }
}
