package dev.switchboard.resilience;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A snapshot of a {@link CircuitBreaker}'s window. In OPEN the window is the one that tripped the
 * circuit; in HALF_OPEN it holds the trial calls.
 *
 * @param failureRate percentage of failed calls; empty until the window holds the minimum number of
 *     calls
 * @param slowCallRate percentage of slow calls; empty until the window holds the minimum number of
 *     calls
 * @param bufferedCalls calls recorded in the window
 * @param failedCalls failed calls in the window
 * @param slowCalls slow calls (failed or not) in the window
 * @param notPermittedCalls calls refused since the breaker was created
 */
public record CircuitBreakerMetrics(
    CircuitState state,
    OptionalDouble failureRate,
    OptionalDouble slowCallRate,
    int bufferedCalls,
    int failedCalls,
    int slowCalls,
    long notPermittedCalls) {

  public CircuitBreakerMetrics {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(failureRate, "failureRate");
    Objects.requireNonNull(slowCallRate, "slowCallRate");
  }
}
