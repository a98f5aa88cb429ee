package dev.switchboard.resilience;

/**
 * Something a pattern instance did: a state transition, a success, a failure, a rejection, a retry,
 * a shed call, a limit change. Each pattern has its own sealed family of records implementing this.
 */
public interface ResilienceEvent {

  /** The name of the instance that published it. */
  String source();

  PatternType patternType();

  /** When it happened, in {@link Ticker} nanoseconds of the instance's ticker. */
  long atNanos();
}
