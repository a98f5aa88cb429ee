package dev.switchboard.resilience;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link CircuitBreaker} did. Built only when someone listens (its {@link
 * CircuitBreaker#events()} or the config's {@link EventBus}).
 */
public sealed interface CircuitBreakerEvent extends ResilienceEvent {

  @Override
  default PatternType patternType() {
    return PatternType.CIRCUIT_BREAKER;
  }

  /** The circuit moved from one state to another. */
  record StateTransition(String source, long atNanos, CircuitState from, CircuitState to)
      implements CircuitBreakerEvent {
    public StateTransition {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * A permitted call succeeded (or threw an exception that is not handled, which counts as
   * success).
   */
  record Success(String source, long atNanos, long durationNanos) implements CircuitBreakerEvent {
    public Success {
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * A permitted call failed.
   *
   * @param error the handled exception; empty when the call returned a result that counts as a
   *     failure
   */
  record Failure(String source, long atNanos, long durationNanos, Optional<Throwable> error)
      implements CircuitBreakerEvent {
    public Failure {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(error, "error");
    }
  }

  /** A call was refused in {@code state}. */
  record NotPermitted(String source, long atNanos, CircuitState state)
      implements CircuitBreakerEvent {
    public NotPermitted {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(state, "state");
    }
  }

  /** {@link CircuitBreaker#reset()} was called: the circuit is CLOSED with an empty window. */
  record Reset(String source, long atNanos) implements CircuitBreakerEvent {
    public Reset {
      Objects.requireNonNull(source, "source");
    }
  }
}
