package dev.switchboard.server;

import dev.switchboard.resilience.KeyedRateLimiter;
import dev.switchboard.resilience.KeyedRateLimiterConfig;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The server's token buckets: one per API key (or per client address) for the HTTP API, one per
 * client address for WebSocket upgrades. A key is kept as the SHA-256 of what was presented, never
 * the raw secret. Buckets idle for 10 minutes are dropped (both refill long before that, so
 * dropping forgives nothing); at most 10,000 keys of each kind are kept, the least recently used
 * dropped first.
 *
 * <p>Thread-safe; {@link #http} and {@link #upgrade} never wait.
 */
final class RateLimitGate {

  private final RateLimits limits;
  private final Optional<KeyedRateLimiter<String>> http;
  private final Optional<KeyedRateLimiter<String>> upgrades;

  RateLimitGate(RateLimits limits) {
    this.limits = limits;
    this.http =
        limits.httpPerSecond() == 0
            ? Optional.empty()
            : Optional.of(
                KeyedRateLimiter.of(
                    "http-api",
                    keyed(
                        limits.httpPerSecond(),
                        Duration.ofSeconds(1),
                        limits.effectiveHttpBurst())));
    int perMinute = limits.upgradesPerMinutePerAddress();
    this.upgrades =
        perMinute == 0
            ? Optional.empty()
            : Optional.of(
                KeyedRateLimiter.of(
                    "websocket-upgrades", keyed(perMinute, Duration.ofMinutes(1), perMinute)));
  }

  private static KeyedRateLimiterConfig keyed(int rate, Duration period, int burst) {
    return KeyedRateLimiterConfig.builder()
        .limiter(RateLimiterConfig.builder().rate(rate).period(period).burst(burst).build())
        .build();
  }

  /** The size of the HTTP bucket, sent as {@code X-RateLimit-Limit}. */
  int httpLimit() {
    return limits.effectiveHttpBurst();
  }

  /**
   * Takes one HTTP request from the budget of {@code apiKey} when present (an accepted key), else
   * of {@code address}; empty when the HTTP limit is off.
   */
  Optional<RateLimiter.Result> http(Optional<String> apiKey, String address) {
    return http.map(
        limiter ->
            limiter.tryAcquire(apiKey.map(key -> "key:" + sha256(key)).orElse("ip:" + address)));
  }

  /**
   * Whether {@code address} may open one more WebSocket connection now (always, when that limit is
   * off).
   */
  boolean upgrade(String address) {
    return upgrades.map(limiter -> limiter.tryAcquire(address).granted()).orElse(true);
  }

  /** Whole seconds, rounded up: what {@code Retry-After} and {@code X-RateLimit-Reset} carry. */
  static long seconds(long nanos) {
    return Math.ceilDiv(nanos, 1_000_000_000L);
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
