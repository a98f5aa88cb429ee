package dev.switchboard.resilience;

/**
 * A limiter's refill schedule in exact integer arithmetic: {@code rate} tokens every {@code
 * periodNanos}, counted from the limiter's creation. {@code rate * periodNanos} fits a long (the
 * config checks), so nothing overflows for elapsed times up to ~292 years. Immutable.
 */
record RateLimiterRefill(long rate, long periodNanos, long nanosPerToken) {

  RateLimiterRefill(long rate, long periodNanos) {
    // A whole number of nanos per token (100/s, 1000/min, ...) needs one division per acquire
    // instead of two.
    this(rate, periodNanos, periodNanos % rate == 0 ? periodNanos / rate : 0);
  }

  /** Tokens produced after {@code elapsed} nanos: floor(elapsed * rate / period). */
  long produced(long elapsed) {
    if (nanosPerToken != 0) {
      return elapsed / nanosPerToken;
    }
    long periods = elapsed / periodNanos;
    return periods * rate + (elapsed - periods * periodNanos) * rate / periodNanos;
  }

  /** Nanos from {@code elapsed} until {@code tokens} have been produced (0 if they have). */
  long nanosUntil(long tokens, long elapsed) {
    if (tokens <= 0) {
      return 0;
    }
    long at =
        nanosPerToken != 0
            ? tokens * nanosPerToken
            : (tokens / rate) * periodNanos + Math.ceilDiv((tokens % rate) * periodNanos, rate);
    return Math.max(0, at - elapsed);
  }
}
