package dev.switchboard.resilience;

/** What a {@link LoadShedder} publishes. */
public sealed interface LoadShedderEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.LOAD_SHEDDER;
  }

  /** The load level moved. */
  record LevelChanged(String source, long atNanos, LoadLevel from, LoadLevel to)
      implements LoadShedderEvent {}

  /** A call was shed. */
  record Shed(String source, long atNanos, CallPriority priority, LoadLevel level, int inFlight)
      implements LoadShedderEvent {}
}
