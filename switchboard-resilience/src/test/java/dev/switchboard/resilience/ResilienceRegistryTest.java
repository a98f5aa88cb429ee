package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A registry hands out one instance per pattern type and name, created on first use. */
class ResilienceRegistryTest {

  private final EventBus bus = new EventBus();
  private final BulkheadConfig bulkheadDefaults =
      BulkheadConfig.builder().maxConcurrentCalls(7).eventBus(bus).build();
  private final ResilienceRegistry registry = ResilienceRegistry.builder().bulkheadDefaults(bulkheadDefaults).build();

  @Test
  void aNameAskedForAgainReturnsTheSameInstance() {
    Bulkhead first = registry.bulkhead("db");

    assertThat(registry.bulkhead("db")).isSameAs(first);
    assertThat(registry.bulkhead("cache")).isNotSameAs(first);
  }

  @Test
  void instancesAreCreatedFromTheDefaultConfigOrTheNamedOne() {
    BulkheadConfig own = BulkheadConfig.builder().maxConcurrentCalls(2).eventBus(bus).build();

    assertThat(registry.bulkhead("db").config()).isSameAs(bulkheadDefaults);
    assertThat(registry.bulkhead("push", own).config()).isSameAs(own);
    assertThat(registry.bulkhead("push").config()).as("first use wins").isSameAs(own);
    assertThat(registry.retry("feed").config().maxAttempts()).isEqualTo(RetryConfig.defaults().maxAttempts());
    assertThat(registry.bulkhead("db").name()).isEqualTo("db");
  }

  @Test
  void eachPatternTypeHasItsOwnNamespace() {
    CircuitBreaker breaker = registry.circuitBreaker("payments");
    RateLimiter limiter = registry.rateLimiter("payments");

    assertThat(registry.all()).extracting(ResilienceRegistry.Entry::type, ResilienceRegistry.Entry::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(PatternType.CIRCUIT_BREAKER, "payments"),
            org.assertj.core.groups.Tuple.tuple(PatternType.RATE_LIMITER, "payments"));
    assertThat(registry.all()).extracting(ResilienceRegistry.Entry::pattern).containsExactly(breaker, limiter);
  }

  @Test
  void concurrentFirstUsesCreateExactlyOneInstance() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<CircuitBreaker>> got = IntStream.range(0, 64).mapToObj(i -> threads.submit(() -> {
        gate.await();
        return registry.circuitBreaker("shared");
      })).toList();
      gate.countDown();
      CircuitBreaker one = got.get(0).get(5, TimeUnit.SECONDS);
      for (Future<CircuitBreaker> f : got) {
        assertThat(f.get(5, TimeUnit.SECONDS)).isSameAs(one);
      }
    }
    assertThat(registry.all()).hasSize(1);
  }
}
