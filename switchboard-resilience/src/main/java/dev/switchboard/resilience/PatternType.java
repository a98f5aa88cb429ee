package dev.switchboard.resilience;

/**
 * The kinds of pattern; events and exception contexts name theirs, and {@link ResilienceRegistry}
 * keeps one namespace per kind.
 */
public enum PatternType {
  CIRCUIT_BREAKER,
  RETRY,
  TIMEOUT,
  FALLBACK,
  BULKHEAD,
  RATE_LIMITER,
  LOAD_SHEDDER,
  BACKPRESSURE,
  ADAPTIVE_LIMITER,
  /**
   * A {@link KeyedRateLimiter}: its own namespace in {@link ResilienceRegistry}. It publishes no
   * events itself; the {@link RateLimiter} of each key publishes {@link #RATE_LIMITER} events as
   * {@code name[key]}.
   */
  KEYED_RATE_LIMITER
}
