package dev.switchboard.resilience;

/** The kinds of pattern; events and exception contexts name theirs. */
public enum PatternType {
  CIRCUIT_BREAKER,
  RETRY,
  TIMEOUT,
  FALLBACK,
  BULKHEAD,
  RATE_LIMITER,
  LOAD_SHEDDER,
  BACKPRESSURE,
  ADAPTIVE_LIMITER
}
