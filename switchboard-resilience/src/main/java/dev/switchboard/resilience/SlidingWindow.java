package dev.switchboard.resilience;

/**
 * The recent outcomes a circuit breaker judges by. Counts travel packed in one {@code long}: three
 * signed 21-bit fields (calls, failed, slow), so one atomic add updates all three and a reader sees
 * them together. A field may be briefly off by one while a concurrent record is half done; readers
 * clamp at zero.
 */
interface SlidingWindow {

  int FAILED = 1;
  int SLOW = 2;

  /** Marks a used slot, so that an outcome of 0 (fast success) differs from an empty slot. */
  int PRESENT = 4;

  /**
   * Records {@code outcome} ({@link #FAILED} and/or {@link #SLOW} bits) at {@code nowNanos};
   * returns the counts.
   */
  long record(int outcome, long nowNanos);

  /** The counts at {@code nowNanos}. */
  long counts(long nowNanos);

  /** The packed counts one outcome code (with {@link #PRESENT}, or 0 for nothing) contributes. */
  static long packed(int code) {
    return (code & PRESENT) >> 2 | (long) (code & FAILED) << 21 | (long) (code & SLOW) >> 1 << 42;
  }

  static int calls(long counts) {
    return Math.max(0, field0(counts));
  }

  static int failed(long counts) {
    return Math.max(0, field0((counts - field0(counts)) >> 21));
  }

  static int slow(long counts) {
    long rest = (counts - field0(counts)) >> 21;
    return (int) Math.max(0, (rest - field0(rest)) >> 21);
  }

  private static int field0(long counts) {
    return (int) (counts << 43 >> 43);
  }
}
