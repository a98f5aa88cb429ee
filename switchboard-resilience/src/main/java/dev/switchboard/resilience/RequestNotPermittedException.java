package dev.switchboard.resilience;

import java.time.Duration;

/**
 * A {@link RateLimiter} had no permit within its timeout. Carries how long until one would be free.
 */
public final class RequestNotPermittedException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  private final long retryAfterNanos;

  RequestNotPermittedException(String limiterName, long retryAfterNanos) {
    super(
        limiterName,
        PatternType.RATE_LIMITER,
        FailureReason.RATE_LIMITED,
        "rate limiter '"
            + limiterName
            + "' has no permit; next in "
            + Duration.ofNanos(retryAfterNanos),
        null);
    this.retryAfterNanos = retryAfterNanos;
  }

  /** How long until the requested permits would be available, as seen when the call was refused. */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }
}
