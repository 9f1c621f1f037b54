package io.pixelstream.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * This JVM's options for a child JVM the harness starts (the module openings, DJL's properties):
 * without agents and flight recordings, which would write the parent's files twice, and without the
 * heap sizes when the child is given its own.
 */
final class ChildJvmOptions {

  private ChildJvmOptions() {}

  static List<String> inherited(boolean withHeap) {
    List<String> out = new ArrayList<>();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      boolean heap = arg.startsWith("-Xm");
      boolean agent =
          arg.startsWith("-agent")
              || arg.startsWith("-javaagent")
              || arg.startsWith("-XX:StartFlightRecording");
      if (!agent && (withHeap || !heap)) {
        out.add(arg);
      }
    }
    return out;
  }
}
