package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.FailureReason;
import dev.switchboard.resilience.PatternType;
import dev.switchboard.resilience.ResilienceException;

/**
 * A {@link RedisRateLimiter} configured with {@link FailureMode#THROW} could not ask Redis; the
 * cause is Lettuce's exception ({@code RedisCommandTimeoutException} when Redis took longer than
 * the command timeout).
 */
public final class RedisRateLimiterException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  RedisRateLimiterException(String limiterName, Throwable cause) {
    super(
        limiterName,
        PatternType.RATE_LIMITER,
        FailureReason.CALL_FAILED,
        "redis rate limiter '" + limiterName + "' could not ask Redis: " + cause,
        cause);
  }
}
