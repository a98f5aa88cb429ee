package dev.switchboard.server;

import dev.switchboard.gateway.RateLimitStore;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's token buckets: one per API key (or per client address) for the HTTP API ({@code
 * http-api}), one per client address for WebSocket upgrades ({@code websocket-upgrades}), kept in
 * the {@link RateLimitStore}s its factory makes. A key is kept as the SHA-256 of what was
 * presented, never the raw secret. In memory, buckets idle for 10 minutes are dropped (both refill
 * long before that, so dropping forgives nothing) and at most 10,000 keys of each kind are kept,
 * the least recently used dropped first.
 *
 * <p>Thread-safe; {@link #http} and {@link #upgrade} never wait. Their answers are complete at once
 * in memory; a shared store's come when it answers, and {@link #onLoop} runs what follows on the
 * caller's event loop either way. An answer that fails (which a store's contract rules out) grants,
 * as a shared store that cannot be reached does by default, and is logged.
 */
final class RateLimitGate {

  private static final Logger log = LoggerFactory.getLogger(RateLimitGate.class);

  private static final CompletionStage<Optional<RateLimiter.Result>> HTTP_OFF =
      CompletableFuture.completedFuture(Optional.empty());
  private static final CompletionStage<Boolean> GRANTED = CompletableFuture.completedFuture(true);

  private final RateLimits limits;
  private final Optional<RateLimitStore> http;
  private final Optional<RateLimitStore> upgrades;
  private final ServerCounters counters;

  RateLimitGate(RateLimits limits, RateLimitStore.Factory stores, ServerCounters counters) {
    this.limits = limits;
    this.counters = counters;
    this.http =
        limits.httpPerSecond() == 0
            ? Optional.empty()
            : Optional.of(
                stores.create(
                    "http-api",
                    bucket(
                        limits.httpPerSecond(),
                        Duration.ofSeconds(1),
                        limits.effectiveHttpBurst())));
    int perMinute = limits.upgradesPerMinutePerAddress();
    this.upgrades =
        perMinute == 0
            ? Optional.empty()
            : Optional.of(
                stores.create(
                    "websocket-upgrades", bucket(perMinute, Duration.ofMinutes(1), perMinute)));
  }

  private static RateLimiterConfig bucket(int rate, Duration period, int burst) {
    return RateLimiterConfig.builder().rate(rate).period(period).burst(burst).build();
  }

  /** The size of the HTTP bucket, sent as {@code X-RateLimit-Limit}. */
  int httpLimit() {
    return limits.effectiveHttpBurst();
  }

  /**
   * Takes one HTTP request from the budget of {@code apiKey} when present (an accepted key), else
   * of {@code address}; empty when the HTTP limit is off.
   */
  CompletionStage<Optional<RateLimiter.Result>> http(Optional<String> apiKey, String address) {
    if (http.isEmpty()) {
      return HTTP_OFF;
    }
    String key = apiKey.map(k -> "key:" + sha256(k)).orElse("ip:" + address);
    return http.get()
        .tryAcquire(key)
        .thenApply(
            result -> {
              counters.rateLimited(ServerCounters.RateLimitKind.HTTP, result.granted());
              return Optional.of(result);
            })
        .exceptionally(
            failure -> {
              log.warn("HTTP rate limit store failed; request granted: {}", failure.toString());
              return Optional.empty();
            });
  }

  /**
   * Whether {@code address} may open one more WebSocket connection now (always, when that limit is
   * off).
   */
  CompletionStage<Boolean> upgrade(String address) {
    if (upgrades.isEmpty()) {
      return GRANTED;
    }
    return upgrades
        .get()
        .tryAcquire(address)
        .thenApply(
            result -> {
              counters.rateLimited(
                  ServerCounters.RateLimitKind.WEBSOCKET_CONNECT, result.granted());
              return result.granted();
            })
        .exceptionally(
            failure -> {
              log.warn("upgrade rate limit store failed; upgrade granted: {}", failure.toString());
              return true;
            });
  }

  /**
   * Runs {@code then} with {@code answer}'s value: at once when it is complete (always, in memory),
   * else on {@code loop} once it completes, so that what follows runs on the event loop it began
   * on.
   */
  static <T> void onLoop(CompletionStage<T> answer, Context loop, Consumer<T> then) {
    CompletableFuture<T> future = answer.toCompletableFuture();
    if (future.isDone()) {
      then.accept(future.join());
      return;
    }
    future.thenAccept(value -> loop.runOnContext(v -> then.accept(value)));
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
