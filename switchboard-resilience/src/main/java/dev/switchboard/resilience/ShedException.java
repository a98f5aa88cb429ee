package dev.switchboard.resilience;

/**
 * A {@link LoadShedder} refused a call; the message names the priority, the level and the calls in
 * flight.
 */
public final class ShedException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  public ShedException(String patternName, String message) {
    super(patternName, PatternType.LOAD_SHEDDER, FailureReason.SHED, message, null);
  }
}
