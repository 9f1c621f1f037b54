package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a benchmark command from the repository root, as a user would, for the bench ITCases. */
final class BenchCommand {

  /** The repository root (the tests run in {@code bench/}). */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private BenchCommand() {}

  /**
   * Runs {@code command} (its first word relative to {@link #ROOT}) with its output in {@code log};
   * fails, with the log's last lines, unless it exits 0 within {@code minutes}.
   */
  static void run(int minutes, Path log, String... command)
      throws IOException, InterruptedException {
    String[] argv = command.clone();
    argv[0] = ROOT.resolve(argv[0]).toString();
    Process p =
        new ProcessBuilder(argv)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = p.waitFor(minutes, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    String what = String.join(" ", command);
    assertThat(finished)
        .as("%s finished within %d min; log:%n%s", what, minutes, tail(log))
        .isTrue();
    assertThat(p.exitValue()).as("%s: exit status; log:%n%s", what, tail(log)).isZero();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
