package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.resilience.KeyedRateLimiterConfig;
import dev.switchboard.resilience.RateLimiterConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The rate limit contract on the embedded default (the server's own factory), and the bound on the
 * keys it keeps.
 */
class InMemoryRateLimitStoreTest extends RateLimitStoreContract {

  @Override
  protected RateLimitStore store(String name, RateLimiterConfig limit) {
    return RateLimitStore.Factory.inMemory().create(name, limit);
  }

  @Override
  protected boolean sharedBetweenNodes() {
    return false;
  }

  @Test
  void theAnswerIsThereWhenTryAcquireReturns() {
    RateLimitStore store = store("answered", RateLimiterConfig.defaults());

    assertThat(store.tryAcquire("k").toCompletableFuture()).isCompleted();
  }

  @Test
  void pastItsKeyBoundTheLeastRecentlyUsedKeyStartsFullAgain() throws Exception {
    RateLimiterConfig oneToken =
        RateLimiterConfig.builder().rate(1).period(Duration.ofHours(1)).burst(1).build();
    RateLimitStore store =
        RateLimitStore.inMemory(
            "bounded", KeyedRateLimiterConfig.builder().limiter(oneToken).maxKeys(2).build());

    assertThat(store.tryAcquire("a").toCompletableFuture().get().granted()).isTrue();
    assertThat(store.tryAcquire("b").toCompletableFuture().get().granted()).isTrue();
    assertThat(store.tryAcquire("c").toCompletableFuture().get().granted()).isTrue();

    assertThat(store.tryAcquire("a").toCompletableFuture().get().granted()).isTrue();
    assertThat(store.tryAcquire("c").toCompletableFuture().get().granted()).isFalse();
  }
}
