package io.pixelstream.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory and a thread's page faults, from Linux's {@code /proc}. */
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

  /**
   * Minor page faults of the calling thread so far (field 10 of {@code /proc/thread-self/stat}):
   * pages the kernel mapped in, zero-filled, on first touch.
   *
   * @throws IOException off Linux
   */
  public static long threadMinorFaults() throws IOException {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    // the fields after the parenthesised command name start at field 3
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
  }
}
