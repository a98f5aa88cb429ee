package dev.switchboard.resilience;

/**
 * A concurrency limit was full; the message names the instance, the limit and the calls in flight.
 */
public final class LimitExceededException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  public LimitExceededException(String patternName, PatternType patternType, String message) {
    super(patternName, patternType, FailureReason.LIMIT_EXCEEDED, message, null);
  }
}
