package io.pixelstream.jobs.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started with this test JVM's classpath and flags (DJL offline, the module opens), running
 * one main class with its output in a log file: for tests that kill a process as a crash would.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code main} with {@code args}; stdout and stderr go to {@code log} (appended). */
  public static ChildJvm start(Path log, String heap, Class<?> main, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!flag.startsWith("-javaagent") && !flag.startsWith("-agentlib")) {
        cmd.add(flag);
      }
    }
    cmd.add("-Xmx" + heap); // the last -Xmx wins
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ChildJvm(process, log);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hooks, no flush, as a crash or the OOM killer would end it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + process.pid() + " survived SIGKILL");
    }
  }

  /** Waits until the log has a line matching {@code pattern}; returns its first group. */
  public String awaitLog(Pattern pattern, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : m.group();
      }
      if (!process.isAlive()) {
        throw new AssertionError("process exited with " + process.exitValue() + "; see " + log);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no line matching " + pattern + " in " + timeout + "; see " + log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
