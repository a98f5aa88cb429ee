package dev.switchboard.resilience;

import java.util.Objects;

/**
 * A pattern refused or gave up on a call: the circuit is open, no permit was free, the time ran
 * out. The message names the instance and the limit. Subclasses exist per pattern; all are
 * unchecked.
 */
public class ResilienceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String patternName;
  private final PatternType patternType;
  private final FailureReason reason;

  public ResilienceException(
      String patternName,
      PatternType patternType,
      FailureReason reason,
      String message,
      Throwable cause) {
    super(message, cause);
    this.patternName = Objects.requireNonNull(patternName, "patternName");
    this.patternType = Objects.requireNonNull(patternType, "patternType");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public String patternName() {
    return patternName;
  }

  public PatternType patternType() {
    return patternType;
  }

  public FailureReason reason() {
    return reason;
  }
}
