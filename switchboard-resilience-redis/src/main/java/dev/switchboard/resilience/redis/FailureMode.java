package dev.switchboard.resilience.redis;

/**
 * What a {@link RedisRateLimiter} answers when Redis does not: the connection is down, the command
 * failed, or it took longer than {@link RedisRateLimiterConfig#commandTimeout()}. In every mode the
 * failure is published as a {@link RedisRateLimiterEvent.RedisFailed} event, told to the config's
 * {@link dev.switchboard.resilience.ExceptionHandling} callback and logged (at most one warning per
 * 10 s).
 */
public enum FailureMode {
  /**
   * Grant the request (the default): a Redis outage must not become an outage of everything the
   * limiter guards. The result is granted with 0 remaining and no waits.
   */
  OPEN,
  /**
   * Refuse the request: for limits that guard money or security (login attempts, sent codes), where
   * letting everything through is worse than refusing. The result is refused with a retry-after of
   * the time the asked permits take to refill.
   */
  CLOSED,
  /**
   * Throw {@link RedisRateLimiterException} (or what the config's exception transformer makes of
   * it), or fail the async stage with it, so the caller decides, for example falling back to a
   * local {@link dev.switchboard.resilience.RateLimiter}.
   */
  THROW
}
