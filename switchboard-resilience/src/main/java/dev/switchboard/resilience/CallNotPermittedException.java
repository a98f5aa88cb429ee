package dev.switchboard.resilience;

/**
 * A {@link CircuitBreaker} refused a call: it is open, forced open, or half-open with every trial
 * call taken.
 */
public final class CallNotPermittedException extends ResilienceException {

  private static final long serialVersionUID = 1L;

  private final CircuitState state;

  CallNotPermittedException(String name, CircuitState state) {
    super(
        name,
        PatternType.CIRCUIT_BREAKER,
        FailureReason.CIRCUIT_OPEN,
        "circuit breaker '" + name + "' is " + state + " and does not permit further calls",
        null);
    this.state = state;
  }

  /** The state that refused the call. */
  public CircuitState state() {
    return state;
  }
}
