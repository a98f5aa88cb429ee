package dev.switchboard.resilience;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The outcomes of the last {@code size} seconds, in one bucket per second. A short {@link
 * ReentrantLock} guards the buckets (never a monitor, so virtual threads do not pin); every field
 * below is touched only under it.
 */
final class SlidingWindowByTime implements SlidingWindow {

  private static final long SECOND = 1_000_000_000L;

  private final ReentrantLock lock = new ReentrantLock();
  private final long originNanos;
  private final long[] buckets;
  private long head;
  private long total;

  SlidingWindowByTime(int seconds, long nowNanos) {
    this.buckets = new long[seconds];
    this.originNanos = nowNanos;
  }

  @Override
  public long record(int outcome, long nowNanos) {
    long add = SlidingWindow.packed(outcome | PRESENT);
    lock.lock();
    try {
      long second = advance(nowNanos);
      buckets[(int) Math.floorMod(second, (long) buckets.length)] += add;
      total += add;
      return total;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long counts(long nowNanos) {
    lock.lock();
    try {
      advance(nowNanos);
      return total;
    } finally {
      lock.unlock();
    }
  }

  /** Empties the buckets of seconds that left the window; returns the current second. */
  private long advance(long nowNanos) {
    long second = Math.max(head, Math.floorDiv(nowNanos - originNanos, SECOND));
    long steps = Math.min(second - head, buckets.length);
    for (long k = 1; k <= steps; k++) {
      int index = (int) Math.floorMod(head + k, (long) buckets.length);
      total -= buckets[index];
      buckets[index] = 0;
    }
    head = second;
    return second;
  }
}
