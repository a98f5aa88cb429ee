package dev.switchboard.redis;

import dev.switchboard.gateway.RateLimitStore;
import dev.switchboard.resilience.CircuitBreaker;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.resilience.redis.FailureMode;
import dev.switchboard.resilience.redis.RedisRateLimiter;
import dev.switchboard.resilience.redis.RedisRateLimiterConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rate limit stores of the Redis engine: each limit a {@link RedisRateLimiter} on the engine's
 * string connection, its buckets under the key prefix {@code engine.key("ratelimit", name) + ":"},
 * timed by the Redis server's clock and shared by every node of the cluster.
 *
 * <p>When Redis cannot answer within the engine's command timeout (at most 1 min), a store grants
 * ({@link FailureMode#OPEN}: an outage of Redis must not refuse every request) and the limiter logs
 * it, at most one warning per 10 s; the stage never fails. Every check goes through the engine's
 * circuit breaker: while it is open (Redis failing or hanging) a check grants at once, without
 * sending anything, instead of waiting for the command timeout on every request.
 */
public final class RedisRateLimitStores {

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

  private RedisRateLimitStores() {}

  /**
   * The factory of {@code engine}'s stores; the engine outlives them (closing it ends them).
   *
   * @throws NullPointerException when {@code engine} is null
   */
  public static RateLimitStore.Factory factory(RedisEngine engine) {
    Objects.requireNonNull(engine, "engine");
    return (name, limit) -> {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(limit, "limit");
      RedisRateLimiterConfig config =
          RedisRateLimiterConfig.builder()
              .limit(limit)
              .keyPrefix(engine.key("ratelimit", name) + ":")
              .failureMode(FailureMode.OPEN)
              .commandTimeout(commandTimeout(engine))
              .build();
      return new Store(RedisRateLimiter.create(name, engine.strings(), config), limit, engine);
    };
  }

  /** The engine's command timeout, within what a limiter takes (at most 1 min). */
  private static Duration commandTimeout(RedisEngine engine) {
    Duration timeout = engine.settings().commandTimeout();
    return timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout;
  }

  /** What a check answers while the breaker is open: granted, as the failure mode says. */
  private static final RateLimiter.Result OPEN_GRANT = new RateLimiter.Result(true, 0, 0, 0, 0);

  /**
   * Whether the limiter answered by its failure mode rather than from Redis: it never fails the
   * stage, and its fallback grant is the only grant with an empty bucket that is full at once (a
   * grant from Redis took a token, so the bucket needs time to fill).
   */
  private static boolean fellBack(RateLimiter.Result result) {
    return result.granted() && result.remaining() == 0 && result.nanosUntilFull() == 0;
  }

  /** One limit's buckets: a {@link RedisRateLimiter} answering without blocking. */
  private record Store(RedisRateLimiter limiter, RateLimiterConfig limit, RedisEngine engine)
      implements RateLimitStore {

    @Override
    public CompletionStage<RateLimiter.Result> tryAcquire(String key) {
      Objects.requireNonNull(key, "key");
      CircuitBreaker breaker = engine.breaker();
      if (!breaker.tryAcquirePermission()) {
        return CompletableFuture.completedFuture(OPEN_GRANT);
      }
      long start = System.nanoTime();
      return limiter
          .tryAcquireAsync(key)
          .whenComplete(
              (result, error) -> {
                long took = System.nanoTime() - start;
                if (error == null && !fellBack(result)) {
                  breaker.onSuccess(took);
                } else {
                  breaker.onError(
                      took,
                      error != null ? error : new IllegalStateException("Redis did not answer"));
                }
              });
    }
  }
}
