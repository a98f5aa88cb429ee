package dev.switchboard.resilience;

/** What a {@link RateLimiter} did: granted or refused permits. Built only while someone listens. */
public sealed interface RateLimiterEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.RATE_LIMITER;
  }

  /** {@code permits} were granted; {@code remaining} tokens are left. */
  record Acquired(String source, long atNanos, int permits, int remaining)
      implements RateLimiterEvent {}

  /** {@code permits} were refused; they would be available in {@code retryAfterNanos}. */
  record Rejected(String source, long atNanos, int permits, long retryAfterNanos)
      implements RateLimiterEvent {}
}
