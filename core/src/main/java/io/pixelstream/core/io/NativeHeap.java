package io.pixelstream.core.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the C heap's freed memory for reuse instead of handing it back to the kernel after every
 * call, which is what glibc's defaults do to libtorch's tensors. A forward pass of the encoder
 * allocates and frees megabytes of temporaries; with glibc's adaptive thresholds those blocks are
 * mapped, or trimmed off the heap's top, and zero-filled again on the next call: up to ~5,800 page
 * faults per batch of 256 in the calling thread here, and embedding throughput that swung between
 * ~4,700 and ~7,000 images/s from one second to the next (docs/benchmarks.md). Fixed thresholds
 * keep a process's peak native working set mapped, a few tens of MB per allocating thread.
 *
 * <p>Users who set {@code MALLOC_MMAP_THRESHOLD_} or {@code MALLOC_TRIM_THRESHOLD_} in the
 * environment keep their own settings.
 */
public final class NativeHeap {

  private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);
  private static final int M_TRIM_THRESHOLD = -1;
  private static final int M_MMAP_THRESHOLD = -3;

  /** Blocks at least this large still get their own mapping, returned to the kernel when freed. */
  static final int MMAP_THRESHOLD_BYTES = 64 << 20;

  /** Free memory at the heap's top beyond this is returned to the kernel. */
  static final int TRIM_THRESHOLD_BYTES = 256 << 20;

  private static Boolean applied;

  private NativeHeap() {}

  /**
   * Sets the fixed thresholds once per process (later calls return the first call's answer).
   *
   * @return true when they are in effect; false off glibc or where the environment sets them
   */
  public static synchronized boolean keepFreedMemory() {
    if (applied == null) {
      applied = apply();
    }
    return applied;
  }

  private static boolean apply() {
    if (LibC.INSTANCE == null
        || System.getenv("MALLOC_MMAP_THRESHOLD_") != null
        || System.getenv("MALLOC_TRIM_THRESHOLD_") != null) {
      return false;
    }
    boolean ok =
        LibC.INSTANCE.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
            && LibC.INSTANCE.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1;
    if (!ok) {
      LOG.info("glibc refused the malloc thresholds; native memory is managed as by default");
    }
    return ok;
  }
}
