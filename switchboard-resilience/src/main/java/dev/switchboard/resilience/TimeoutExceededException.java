package dev.switchboard.resilience;

import java.time.Duration;

/**
 * A {@link Timeout} stopped waiting for a call: it took longer than the timeout or the deadline
 * allowed.
 */
public final class TimeoutExceededException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  private final Duration limit;

  TimeoutExceededException(String name, Duration limit) {
    super(
        name,
        PatternType.TIMEOUT,
        FailureReason.TIMEOUT,
        "timeout '" + name + "': the call did not complete within " + limit,
        null);
    this.limit = limit;
  }

  /** The time the call was allowed: the timeout, or less when a deadline left less. */
  public Duration limit() {
    return limit;
  }
}
