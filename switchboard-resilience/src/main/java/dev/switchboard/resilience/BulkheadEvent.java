package dev.switchboard.resilience;

/** What a {@link Bulkhead} did with a call. Built only while someone listens. */
public sealed interface BulkheadEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.BULKHEAD;
  }

  /** A call got a permit. */
  record Permitted(String source, long atNanos) implements BulkheadEvent {}

  /**
   * A call was refused: the bulkhead was full (and no waiting slot was free or the wait ran out).
   */
  record Rejected(String source, long atNanos) implements BulkheadEvent {}

  /** A permitted call finished (however it ended) and gave its permit back. */
  record Finished(String source, long atNanos) implements BulkheadEvent {}
}
