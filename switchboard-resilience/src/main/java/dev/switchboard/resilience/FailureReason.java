package dev.switchboard.resilience;

/**
 * Why a pattern failed or refused a call; carried by {@link ExceptionContext} and {@link
 * ResilienceException}.
 */
public enum FailureReason {
  /** The protected call itself failed. */
  CALL_FAILED,
  /** The call failed and that passed a threshold (for example a circuit opened). */
  THRESHOLD_EXCEEDED,
  /** A circuit breaker is open (or half-open with no trial call free). */
  CIRCUIT_OPEN,
  /** A rate limiter had no permit. */
  RATE_LIMITED,
  /** A bulkhead or concurrency limit was full. */
  LIMIT_EXCEEDED,
  /** The call or its wait took longer than allowed. */
  TIMEOUT,
  /** Every retry attempt failed. */
  RETRIES_EXHAUSTED,
  /** A load shedder refused the call. */
  SHED,
  /** Backpressure refused the call. */
  BACKPRESSURE
}
