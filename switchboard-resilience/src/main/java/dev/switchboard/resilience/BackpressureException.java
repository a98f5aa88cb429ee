package dev.switchboard.resilience;

/** {@link Backpressure} refused a call: pressure was on and did not ease within the wait. */
public final class BackpressureException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  public BackpressureException(String patternName, String message) {
    super(patternName, PatternType.BACKPRESSURE, FailureReason.BACKPRESSURE, message, null);
  }
}
