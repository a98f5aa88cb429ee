package dev.switchboard.resilience;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code size} outcomes in a lock-free ring: a ticket picks the slot, the slot is swapped,
 * and the packed counts move by the difference between the new and the replaced outcome. Three
 * atomic operations per call, no allocation, no lock.
 */
final class SlidingWindowByCount implements SlidingWindow {

  private final int size;
  private final AtomicIntegerArray slots;
  private final AtomicLong tickets = new AtomicLong();
  private final AtomicLong counts = new AtomicLong();

  SlidingWindowByCount(int size) {
    this.size = size;
    this.slots = new AtomicIntegerArray(size);
  }

  @Override
  public long record(int outcome, long nowNanos) {
    int slot = (int) (tickets.getAndIncrement() % size);
    int code = outcome | PRESENT;
    int replaced = slots.getAndSet(slot, code);
    return counts.addAndGet(SlidingWindow.packed(code) - SlidingWindow.packed(replaced));
  }

  @Override
  public long counts(long nowNanos) {
    return counts.get();
  }
}
