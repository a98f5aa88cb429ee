package dev.switchboard.resilience;

/**
 * A monotonic time source in nanoseconds, like {@link System#nanoTime()}: only differences mean
 * anything. Every pattern measures time with one, never with the wall clock, and takes it from its
 * config so that tests can move time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /** {@link System#nanoTime()}. */
  Ticker SYSTEM = System::nanoTime;

  long nanos();
}
