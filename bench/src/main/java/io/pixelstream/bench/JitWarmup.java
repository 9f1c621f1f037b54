package io.pixelstream.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The end of a harness's warm-up: waits until this JVM's JIT compilers have compiled what the
 * warm-up made hot. HotSpot compiles in the background from a queue, so on two cores the methods a
 * short warm-up made hot are still being compiled a minute later, on cores the measured runs need
 * (the compiler threads took 8.1-8.6 s of CPU in the first 20 s freshness run under 1.2 cores).
 * Quiet means the compilers spent at most {@code maxShare} of the wall time compiling in each of
 * {@code quietSeconds} consecutive seconds.
 */
final class JitWarmup {

  private JitWarmup() {}

  /**
   * Waits until the compilers are quiet or {@code timeoutMs} has passed.
   *
   * @return the milliseconds waited, or -1 where this JVM does not report compilation time
   */
  static long awaitQuiet(double maxShare, int quietSeconds, long timeoutMs)
      throws InterruptedException {
    if (maxShare <= 0 || maxShare >= 1) {
      throw new IllegalArgumentException("maxShare must be in (0, 1), got " + maxShare);
    }
    if (quietSeconds < 1) {
      throw new IllegalArgumentException("quietSeconds must be >= 1, got " + quietSeconds);
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return -1;
    }
    long start = System.currentTimeMillis();
    int quiet = 0;
    long compiled = jit.getTotalCompilationTime();
    while (quiet < quietSeconds && System.currentTimeMillis() - start < timeoutMs) {
      Thread.sleep(1000);
      long now = jit.getTotalCompilationTime();
      quiet = now - compiled <= maxShare * 1000 ? quiet + 1 : 0;
      compiled = now;
    }
    return System.currentTimeMillis() - start;
  }
}
