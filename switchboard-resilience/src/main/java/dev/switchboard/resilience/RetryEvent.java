package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Optional;

/** What a {@link Retry} did. */
public sealed interface RetryEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.RETRY;
  }

  /**
   * Attempt number {@code attempt} failed and attempt {@code attempt + 1} will start after {@code
   * delay}.
   *
   * @param cause the attempt's exception; empty when its result was retried
   */
  record Retrying(
      String source, long atNanos, int attempt, Duration delay, Optional<Throwable> cause)
      implements RetryEvent {}

  /** The call succeeded on its first attempt. */
  record SucceededWithoutRetry(String source, long atNanos) implements RetryEvent {}

  /** The call succeeded on attempt {@code attempts} after at least one retry. */
  record SucceededAfterRetry(String source, long atNanos, int attempts) implements RetryEvent {}

  /**
   * The retry gave up after {@code attempts} attempts; {@code cause} is the last exception, if any.
   */
  record Exhausted(String source, long atNanos, int attempts, Optional<Throwable> cause)
      implements RetryEvent {}

  /**
   * The call threw an exception the retry does not handle; it was passed to the caller without
   * retrying.
   */
  record IgnoredFailure(String source, long atNanos, int attempt, Throwable cause)
      implements RetryEvent {}
}
