package io.pixelstream.core.io;

/**
 * The Linux scheduling priority ("nice", -20 to 19) of the calling thread. A thread with a higher
 * nice value gets a smaller share of a busy core and all of an idle one, which is what background
 * work such as index merges should get. Java's own {@link Thread#setPriority} does nothing on
 * Linux, hence the C library (through JNA). Off Linux, or where the call is refused, nothing
 * changes.
 */
public final class ThreadNiceness {

  private static final int PRIO_PROCESS = 0; // with a thread id, Linux applies it to that thread

  /** The highest nice value, the lowest priority. */
  public static final int MAX_NICE = 19;

  private static final LibC LIBC = LibC.INSTANCE;

  private ThreadNiceness() {}

  /** True when this platform lets a thread change its own nice value. */
  public static boolean supported() {
    return LIBC != null;
  }

  /**
   * Raises the calling thread's nice value to {@code nice} (lowering its priority) unless it is
   * already at least that; never lowers it, which would need privileges.
   *
   * @param nice 0 to 19
   * @return true when the thread now runs at {@code nice} or nicer
   */
  public static boolean lowerCurrent(int nice) {
    if (nice < 0 || nice > MAX_NICE) {
      throw new IllegalArgumentException("nice must be in 0.." + MAX_NICE + ", got " + nice);
    }
    if (LIBC == null) {
      return false;
    }
    int tid = LIBC.gettid();
    if (LIBC.getpriority(PRIO_PROCESS, tid) >= nice) {
      return true;
    }
    return LIBC.setpriority(PRIO_PROCESS, tid, nice) == 0;
  }

  /** The calling thread's nice value; 0 where unsupported. */
  public static int current() {
    return LIBC == null ? 0 : LIBC.getpriority(PRIO_PROCESS, LIBC.gettid());
  }
}
