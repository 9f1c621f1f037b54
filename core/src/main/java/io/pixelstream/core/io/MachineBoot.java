package io.pixelstream.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which boot of the machine this process runs in: Linux gives every boot a random id. Data written
 * but not fsynced survives a crash of the process that wrote it (the page cache keeps it), not a
 * restart of the machine; comparing boot ids tells the two apart.
 */
public final class MachineBoot {

  private static final String ID = read();

  private MachineBoot() {}

  /** This boot's id, or the empty string off Linux (treat it as matching no boot). */
  public static String id() {
    return ID;
  }

  private static String read() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
