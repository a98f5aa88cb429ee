package dev.switchboard.resilience;

/** What an {@link AdaptiveLimiter} publishes. */
public sealed interface AdaptiveLimiterEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.ADAPTIVE_LIMITER;
  }

  /** The limit moved. */
  record LimitChanged(String source, long atNanos, int from, int to)
      implements AdaptiveLimiterEvent {}

  /** A call was refused: {@code inFlight} calls already held the whole limit. */
  record Rejected(String source, long atNanos, int limit, int inFlight)
      implements AdaptiveLimiterEvent {}
}
