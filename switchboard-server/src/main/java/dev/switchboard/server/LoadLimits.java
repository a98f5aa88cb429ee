package dev.switchboard.server;

import dev.switchboard.resilience.AdaptiveLimiterConfig;

/**
 * How much work the server takes on at once before it sheds. Unlike {@link RateLimits}, these are
 * on by default everywhere (in code as in {@code switchboard serve}): they only bite when the
 * server is overloaded.
 *
 * @param httpMaxConcurrentRequests HTTP API requests handled at once (a bulkhead); the excess is
 *     answered 503 {@code overloaded} with {@code Retry-After: 1}. Default 1000.
 * @param handlerLimitInitial the starting limit on RPC handlers running at once across all
 *     connections (an adaptive, AIMD limit); calls beyond it are answered -32007. Default 1000.
 * @param handlerLimitMin the lowest the handler limit shrinks to when handlers overrun their
 *     deadlines. Default 100.
 * @param handlerLimitMax the highest the handler limit grows to while it is well used. Default
 *     10000.
 */
public record LoadLimits(
    int httpMaxConcurrentRequests,
    int handlerLimitInitial,
    int handlerLimitMin,
    int handlerLimitMax) {

  public static final LoadLimits DEFAULTS = new LoadLimits(1000, 1000, 100, 10_000);

  public LoadLimits {
    if (httpMaxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "http.max_concurrent_requests must be positive, got " + httpMaxConcurrentRequests);
    }
    if (handlerLimitMin < 1
        || handlerLimitMin > handlerLimitInitial
        || handlerLimitInitial > handlerLimitMax) {
      throw new IllegalArgumentException(
          "rpc.handler_limit_min <= rpc.handler_limit_initial <= "
              + "rpc.handler_limit_max must hold with a minimum of at least 1, got "
              + handlerLimitMin
              + ", "
              + handlerLimitInitial
              + ", "
              + handlerLimitMax);
    }
  }

  AdaptiveLimiterConfig handlerLimiter() {
    return AdaptiveLimiterConfig.builder()
        .minLimit(handlerLimitMin)
        .maxLimit(handlerLimitMax)
        .initialLimit(handlerLimitInitial)
        .build();
  }
}
