package dev.switchboard.resilience;

import java.util.Optional;

/**
 * A {@link Retry} gave up: every attempt failed (the cause is the last attempt's exception, earlier
 * ones are suppressed), every result matched the retry-on-result predicate (no cause; {@link
 * #lastResult()} holds the last result), or the next wait would pass the maximum total duration.
 */
public final class RetriesExhaustedException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  private final int attempts;
  private final transient Object lastResult;

  RetriesExhaustedException(
      String name, int attempts, Throwable cause, Object lastResult, String why) {
    super(
        name,
        PatternType.RETRY,
        FailureReason.RETRIES_EXHAUSTED,
        "retry '" + name + "' gave up after " + attempts + " attempt(s): " + why,
        cause);
    this.attempts = attempts;
    this.lastResult = lastResult;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }

  /**
   * The last attempt's result when it was retried because of its result; empty when the last
   * attempt threw.
   */
  public Optional<Object> lastResult() {
    return Optional.ofNullable(lastResult);
  }
}
