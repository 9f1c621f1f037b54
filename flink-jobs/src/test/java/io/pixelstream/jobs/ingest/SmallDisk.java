package io.pixelstream.jobs.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small tmpfs for disk-full tests, mounted over a test folder and unmounted on {@link #close}.
 * Mounting needs root or password-less sudo; {@link #mount} says which was missing otherwise. (A
 * private mount namespace, {@code unshare -r -m}, needs no root, but Lucene resolves an index path
 * with {@code toRealPath}, which leaves {@code /proc/<pid>/root/...} for the host's folder.)
 */
final class SmallDisk implements AutoCloseable {

  private final List<String> sudo;
  private final Path root;
  private final Path ballast;

  private SmallDisk(List<String> sudo, Path root) {
    this.sudo = sudo;
    this.root = root;
    this.ballast = root.resolve("ballast");
  }

  /** Mounts a tmpfs of {@code megabytes} over {@code dir} (created if missing). */
  static SmallDisk mount(Path dir, int megabytes) throws IOException, InterruptedException {
    Path abs = dir.toAbsolutePath();
    Files.createDirectories(abs);
    String failures = "";
    for (List<String> sudo : List.of(List.<String>of(), List.of("sudo", "-n"))) {
      String out =
          run(
              sudo,
              "mount",
              "-t",
              "tmpfs",
              "-o",
              "size=" + megabytes + "m",
              "tmpfs",
              abs.toString());
      if (out == null) {
        return new SmallDisk(sudo, abs);
      }
      failures += "\n  " + String.join(" ", sudo) + " mount: " + out;
    }
    throw new IOException("cannot mount a tmpfs (needs root or password-less sudo):" + failures);
  }

  /** Runs a command; null when it succeeded, else its output. */
  private static String run(List<String> prefix, String... cmd)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(cmd));
    Process p;
    try {
      p = new ProcessBuilder(all).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage(); // e.g. no sudo on this machine
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return p.waitFor() == 0 ? null : out;
  }

  /** The mounted folder, as this JVM reaches it. */
  Path root() {
    return root;
  }

  /** Writes a ballast file until the disk is full; returns its size. */
  long fill() throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    long written = 0;
    try (FileChannel ch =
        FileChannel.open(ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (true) {
        chunk.clear();
        written += ch.write(chunk);
      }
    } catch (IOException e) {
      if (root.toFile().getUsableSpace() > 64 * 1024) {
        throw e; // not the disk being full
      }
    }
    return written;
  }

  /** Deletes the ballast. */
  void free() throws IOException {
    Files.deleteIfExists(ballast);
  }

  /** Unmounts (lazily if something still holds a file open there). */
  @Override
  public void close() throws IOException, InterruptedException {
    String out = run(sudo, "umount", root.toString());
    if (out != null && run(sudo, "umount", "-l", root.toString()) != null) {
      throw new IOException("cannot unmount " + root + ": " + out);
    }
  }
}
