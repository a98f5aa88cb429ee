package dev.switchboard.resilience;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an on-exception callback and an exception transformer learn about a failure.
 *
 * @param patternName the instance's name
 * @param cause the exception the call threw; empty when the pattern refused the call itself (for
 *     example an open circuit)
 * @param metadata pattern-specific facts, such as {@code state} and {@code failureCount} for a
 *     circuit breaker
 */
public record ExceptionContext(
    String patternName,
    PatternType patternType,
    FailureReason reason,
    Optional<Throwable> cause,
    Map<String, Object> metadata) {

  public ExceptionContext {
    Objects.requireNonNull(patternName, "patternName");
    Objects.requireNonNull(patternType, "patternType");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(cause, "cause");
    metadata = Map.copyOf(metadata);
  }
}
