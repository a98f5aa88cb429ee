package dev.switchboard.resilience;

/** A {@link Bulkhead} was full: no permit was free and no waiting slot, or the wait ran out. */
public final class BulkheadFullException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  BulkheadFullException(String bulkheadName, int maxConcurrentCalls) {
    super(
        bulkheadName,
        PatternType.BULKHEAD,
        FailureReason.LIMIT_EXCEEDED,
        "bulkhead '" + bulkheadName + "' is full: " + maxConcurrentCalls + " concurrent calls",
        null);
  }
}
