package dev.switchboard.resilience;

import java.time.Duration;

/** What a {@link Timeout} did. */
public sealed interface TimeoutEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.TIMEOUT;
  }

  /** The call completed in time (an exception the handling does not count is a success too). */
  record Succeeded(String source, long atNanos, Duration elapsed) implements TimeoutEvent {}

  /** The call did not complete within {@code limit}; the work was cancelled. */
  record TimedOut(String source, long atNanos, Duration limit) implements TimeoutEvent {}

  /** The call failed in time with an exception the handling counts. */
  record Failed(String source, long atNanos, Duration elapsed, Throwable cause)
      implements TimeoutEvent {}
}
