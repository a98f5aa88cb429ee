package dev.switchboard.gateway;

import dev.switchboard.resilience.KeyedRateLimiter;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link RateLimitStore#inMemory}: a {@link KeyedRateLimiter}, answered at once. */
final class InMemoryRateLimitStore implements RateLimitStore {

  private final KeyedRateLimiter<String> buckets;

  InMemoryRateLimitStore(KeyedRateLimiter<String> buckets) {
    this.buckets = Objects.requireNonNull(buckets, "buckets");
  }

  @Override
  public RateLimiterConfig limit() {
    return buckets.config().limiter();
  }

  @Override
  public CompletionStage<RateLimiter.Result> tryAcquire(String key) {
    return CompletableFuture.completedFuture(buckets.tryAcquire(key));
  }
}
