package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in time by which work must be done, measured on a {@link Ticker}. Immutable and
 * thread-safe, so one deadline can be handed down a call chain: each layer asks {@link
 * #remaining()} and bounds its own wait by it (for example {@link
 * Timeout#call(java.util.concurrent.Callable, Deadline)} waits at most the smaller of its timeout
 * and the deadline's remaining time).
 */
public final class Deadline {

  private static final Deadline NONE = new Deadline(Ticker.SYSTEM, 0L, Long.MAX_VALUE);

  private final Ticker ticker;
  private final long startNanos;
  private final long budgetNanos;

  private Deadline(Ticker ticker, long startNanos, long budgetNanos) {
    this.ticker = ticker;
    this.startNanos = startNanos;
    this.budgetNanos = budgetNanos;
  }

  /** A deadline {@code timeout} from now on {@code ticker}; a zero timeout is already expired. */
  public static Deadline after(Duration timeout, Ticker ticker) {
    Check.notNegative("timeout", timeout);
    Objects.requireNonNull(ticker, "ticker");
    return new Deadline(ticker, ticker.nanos(), saturatedNanos(timeout));
  }

  /** A deadline {@code timeout} from now on {@link Ticker#SYSTEM}. */
  public static Deadline after(Duration timeout) {
    return after(timeout, Ticker.SYSTEM);
  }

  /**
   * No deadline: never expires; {@link #remaining()} is {@code Long.MAX_VALUE} nanoseconds (about
   * 292 years).
   */
  public static Deadline none() {
    return NONE;
  }

  /** True unless this is {@link #none()}. */
  public boolean isBounded() {
    return this != NONE;
  }

  /** Time left, never negative: zero once expired. */
  public Duration remaining() {
    return Duration.ofNanos(remainingNanos());
  }

  long remainingNanos() {
    if (this == NONE) {
      return Long.MAX_VALUE;
    }
    long elapsed = ticker.nanos() - startNanos;
    return elapsed >= budgetNanos ? 0L : budgetNanos - Math.max(0L, elapsed);
  }

  /** True once no time remains. */
  public boolean isExpired() {
    return remainingNanos() == 0L;
  }

  /** The deadline of the two that leaves less time now (this one on a tie). */
  public Deadline min(Deadline other) {
    Objects.requireNonNull(other, "other");
    return other.remainingNanos() < remainingNanos() ? other : this;
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return this == NONE ? "Deadline[none]" : "Deadline[remaining=" + remaining() + "]";
  }
}
