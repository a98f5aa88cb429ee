package dev.switchboard.resilience;

/** What a {@link Fallback} did. */
public sealed interface FallbackEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.FALLBACK;
  }

  /**
   * Fallback number {@code fallbackIndex} (0 is the first) replaced the call's failure {@code
   * cause}.
   */
  record Recovered(String source, long atNanos, int fallbackIndex, Throwable cause)
      implements FallbackEvent {}

  /**
   * Fallback number {@code fallbackIndex} threw {@code failure}; the next one, if any, is tried.
   */
  record FallbackFailed(String source, long atNanos, int fallbackIndex, Throwable failure)
      implements FallbackEvent {}

  /** Every fallback failed for the call's failure {@code cause}. */
  record AllFailed(String source, long atNanos, Throwable cause) implements FallbackEvent {}
}
