package dev.switchboard.redis;

import dev.switchboard.gateway.RateLimitStore;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.resilience.redis.FailureMode;
import dev.switchboard.resilience.redis.RedisRateLimiter;
import dev.switchboard.resilience.redis.RedisRateLimiterConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The rate limit stores of the Redis engine: each limit a {@link RedisRateLimiter} on the engine's
 * string connection, its buckets under the key prefix {@code engine.key("ratelimit", name) + ":"},
 * timed by the Redis server's clock and shared by every node of the cluster.
 *
 * <p>When Redis cannot answer within the engine's command timeout (at most 1 min), a store grants
 * ({@link FailureMode#OPEN}: an outage of Redis must not refuse every request) and the limiter logs
 * it, at most one warning per 10 s; the stage never fails. Stores do not go through the engine's
 * circuit breaker: a limiter refused at once by a down connection costs nothing, and waiting for a
 * breaker would only delay the grant.
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
      return new Store(RedisRateLimiter.create(name, engine.strings(), config), limit);
    };
  }

  /** The engine's command timeout, within what a limiter takes (at most 1 min). */
  private static Duration commandTimeout(RedisEngine engine) {
    Duration timeout = engine.settings().commandTimeout();
    return timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout;
  }

  /** One limit's buckets: a {@link RedisRateLimiter} answering without blocking. */
  private record Store(RedisRateLimiter limiter, RateLimiterConfig limit)
      implements RateLimitStore {

    @Override
    public CompletionStage<RateLimiter.Result> tryAcquire(String key) {
      return limiter.tryAcquireAsync(Objects.requireNonNull(key, "key"));
    }
  }
}
