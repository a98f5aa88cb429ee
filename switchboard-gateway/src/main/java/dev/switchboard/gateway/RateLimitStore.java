package dev.switchboard.gateway;

import dev.switchboard.resilience.KeyedRateLimiter;
import dev.switchboard.resilience.KeyedRateLimiterConfig;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import java.util.concurrent.CompletionStage;

/**
 * The token buckets of one keyed rate limit (the HTTP API's budget per API key or address, new
 * connections per address), shared by every node that uses a limit of the same name: {@code rate}
 * tokens every {@code period} per key, at most {@code burst} kept, one token a request; a key seen
 * for the first time starts full, and a refusal takes nothing.
 *
 * <p>{@link #inMemory} keeps the buckets in this process ({@link KeyedRateLimiter}): the embedded
 * default. A shared engine keeps them in its store (the Redis one over {@code RedisRateLimiter} of
 * switchboard-resilience-redis, whose answers are already {@link RateLimiter.Result}s); see "Shared
 * state" in {@code docs/architecture.md}, and {@code RateLimitStoreContract} (this module's tests)
 * for the behaviours both pass.
 *
 * <p>Thread-safe. {@link #tryAcquire} never blocks its caller, so event loops may call it: in
 * memory the stage is complete when it returns; a shared engine completes it when its store
 * answers, within its own bounded timeout. The stage never fails: an engine whose store cannot
 * answer decides by its own failure mode (RedisRateLimiter grants, by default) and says so in its
 * log.
 */
public interface RateLimitStore {

  /** The bucket every key gets: rate, period and burst. */
  RateLimiterConfig limit();

  /** Takes one token from {@code key}'s bucket if one is there now; never waits for tokens. */
  CompletionStage<RateLimiter.Result> tryAcquire(String key);

  /** Makes the stores of one engine: one per named limit. */
  @FunctionalInterface
  interface Factory {

    /**
     * The store of the limit named {@code name} (whose keys are kept apart from other limits'),
     * every key getting the bucket {@code limit}.
     */
    RateLimitStore create(String name, RateLimiterConfig limit);

    /**
     * Stores in this process, each keeping at most 10,000 keys (the least recently used dropped
     * first) and dropping a key unused for 10 minutes: {@link KeyedRateLimiterConfig#defaults()}. A
     * dropped key starts full again, which forgives nothing when its bucket refills within 10
     * minutes.
     */
    static Factory inMemory() {
      return (name, limit) ->
          RateLimitStore.inMemory(name, KeyedRateLimiterConfig.builder().limiter(limit).build());
    }
  }

  /** The buckets of one limit in this process, as {@code config} says. */
  static RateLimitStore inMemory(String name, KeyedRateLimiterConfig config) {
    return new InMemoryRateLimitStore(KeyedRateLimiter.of(name, config));
  }
}
