package dev.switchboard.resilience;

/** What a {@link Backpressure} publishes. */
public sealed interface BackpressureEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.BACKPRESSURE;
  }

  /** Pressure turned on ({@code pressured}) at the high water mark, or off at the low one. */
  record StateChanged(String source, long atNanos, boolean pressured, int level)
      implements BackpressureEvent {}

  /** A caller was refused while pressure was on. */
  record Rejected(String source, long atNanos, int level) implements BackpressureEvent {}
}
