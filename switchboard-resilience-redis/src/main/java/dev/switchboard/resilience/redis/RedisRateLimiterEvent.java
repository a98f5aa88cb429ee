package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.PatternType;
import dev.switchboard.resilience.ResilienceEvent;

/**
 * What a {@link RedisRateLimiter} did for one key: granted or refused permits, or could not ask
 * Redis. Built only while someone listens. Events carry the caller's key (never logged by the
 * limiter itself): treat them as carefully as the keys.
 */
public sealed interface RedisRateLimiterEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.RATE_LIMITER;
  }

  /** The caller's key, without the prefix. */
  String key();

  /** {@code permits} were granted by Redis; {@code remaining} whole tokens are left. */
  record Acquired(String source, long atNanos, String key, int permits, int remaining)
      implements RedisRateLimiterEvent {}

  /** {@code permits} were refused by Redis; they would be available in {@code retryAfterNanos}. */
  record Rejected(String source, long atNanos, String key, int permits, long retryAfterNanos)
      implements RedisRateLimiterEvent {}

  /** Redis did not answer (or answered with an error), so {@code failureMode} decided. */
  record RedisFailed(
      String source,
      long atNanos,
      String key,
      int permits,
      FailureMode failureMode,
      Throwable cause)
      implements RedisRateLimiterEvent {}
}
