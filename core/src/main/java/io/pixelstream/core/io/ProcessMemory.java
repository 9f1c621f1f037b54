package io.pixelstream.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory, from Linux's {@code /proc/<pid>/status}. */
public final class ProcessMemory {

  private ProcessMemory() {}

  /** Resident bytes ({@code VmRSS}) of process {@code pid}; 0 once it is gone or off Linux. */
  public static long residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /** Resident bytes of this JVM. */
  public static long residentBytes() {
    return residentBytes(ProcessHandle.current().pid());
  }
}
