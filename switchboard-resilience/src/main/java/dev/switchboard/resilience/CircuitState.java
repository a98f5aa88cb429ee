package dev.switchboard.resilience;

/** The states of a {@link CircuitBreaker}. */
public enum CircuitState {
  /** Calls pass; outcomes are recorded and may trip the circuit. */
  CLOSED,
  /** Calls are refused until the open wait is over. */
  OPEN,
  /** A fixed number of trial calls pass; their outcomes decide between CLOSED and OPEN. */
  HALF_OPEN,
  /**
   * Opened by hand with {@link CircuitBreaker#forceOpen()}; refuses every call until {@link
   * CircuitBreaker#reset()}.
   */
  FORCED_OPEN,
  /**
   * Turned off with {@link CircuitBreaker#disable()}: every call passes and is recorded, nothing
   * ever trips.
   */
  DISABLED
}
