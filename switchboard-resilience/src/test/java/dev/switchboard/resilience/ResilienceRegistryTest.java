package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A registry hands out one instance per pattern type and name, created on first use. */
class ResilienceRegistryTest {

  private final EventBus bus = new EventBus();
  private final BulkheadConfig bulkheadDefaults =
      BulkheadConfig.builder().maxConcurrentCalls(7).eventBus(bus).build();
  private final ResilienceRegistry registry =
      ResilienceRegistry.builder().bulkheadDefaults(bulkheadDefaults).build();

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
    assertThat(registry.retry("feed").config().maxAttempts())
        .isEqualTo(RetryConfig.defaults().maxAttempts());
    assertThat(registry.bulkhead("db").name()).isEqualTo("db");
  }

  @Test
  void eachPatternTypeHasItsOwnNamespace() {
    CircuitBreaker breaker = registry.circuitBreaker("payments");
    RateLimiter limiter = registry.rateLimiter("payments");

    assertThat(registry.all())
        .extracting(ResilienceRegistry.Entry::type, ResilienceRegistry.Entry::name)
        .containsExactly(
            tuple(PatternType.CIRCUIT_BREAKER, "payments"),
            tuple(PatternType.RATE_LIMITER, "payments"));
    assertThat(registry.all())
        .extracting(ResilienceRegistry.Entry::pattern)
        .containsExactly(breaker, limiter);
  }

  @Test
  void concurrentFirstUsesCreateExactlyOneInstance() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<CircuitBreaker>> got =
          IntStream.range(0, 64)
              .mapToObj(
                  i ->
                      threads.submit(
                          () -> {
                            gate.await();
                            return registry.circuitBreaker("shared");
                          }))
              .toList();
      gate.countDown();
      CircuitBreaker one = got.get(0).get(5, TimeUnit.SECONDS);
      for (Future<CircuitBreaker> f : got) {
        assertThat(f.get(5, TimeUnit.SECONDS)).isSameAs(one);
      }
    }
    assertThat(registry.all()).hasSize(1);
  }

  @Test
  void adaptiveAndKeyedRateLimitersComeFromTheirDefaultsLikeTheOthers() {
    AdaptiveLimiterConfig adaptive =
        AdaptiveLimiterConfig.builder().initialLimit(3).eventBus(bus).build();
    KeyedRateLimiterConfig keyed = KeyedRateLimiterConfig.builder().maxKeys(10).build();
    ResilienceRegistry withDefaults =
        ResilienceRegistry.builder()
            .adaptiveLimiterDefaults(adaptive)
            .keyedRateLimiterDefaults(keyed)
            .build();

    assertThat(withDefaults.adaptiveLimiter("db").config()).isSameAs(adaptive);
    assertThat(withDefaults.adaptiveLimiter("db")).isSameAs(withDefaults.adaptiveLimiter("db"));
    assertThat(withDefaults.<String>keyedRateLimiter("api").config()).isSameAs(keyed);
    assertThat(registry.<String>keyedRateLimiter("api").config().maxKeys())
        .isEqualTo(KeyedRateLimiterConfig.defaults().maxKeys());
  }

  @Test
  void fallbacksAreRegisteredByNameFromTheConfigOfTheirFirstUse() {
    FallbackConfig<String> cached =
        FallbackConfig.<String>builder().value("cached").eventBus(bus).build();
    FallbackConfig<String> other =
        FallbackConfig.<String>builder().value("other").eventBus(bus).build();

    Fallback<String> quote = registry.fallback("quote", cached);

    assertThat(registry.fallback("quote", other)).as("first use wins").isSameAs(quote);
    assertThat(
            quote.get(
                () -> {
                  throw new IllegalStateException("down");
                }))
        .isEqualTo("cached");
  }

  @Test
  void aKeyedRateLimiterHasItsOwnNamespaceApartFromPlainRateLimiters() {
    RateLimiter plain = registry.rateLimiter("api");
    KeyedRateLimiter<String> keyed = registry.keyedRateLimiter("api");

    assertThat(registry.all())
        .extracting(ResilienceRegistry.Entry::type, ResilienceRegistry.Entry::pattern)
        .containsExactly(
            tuple(PatternType.RATE_LIMITER, plain), tuple(PatternType.KEYED_RATE_LIMITER, keyed));
  }

  @Test
  void aListenerLearnsOfTheInstancesHeldNowThenOfEachNewOne() {
    Bulkhead db = registry.bulkhead("db");
    Retry feed = registry.retry("feed");
    List<ResilienceRegistry.Entry> seen = Collections.synchronizedList(new ArrayList<>());

    registry.onAdded(seen::add);
    assertThat(seen).extracting(ResilienceRegistry.Entry::pattern).containsExactly(feed, db);

    AdaptiveLimiter limiter = registry.adaptiveLimiter("db");
    registry.bulkhead("db");
    assertThat(seen)
        .extracting(
            ResilienceRegistry.Entry::type,
            ResilienceRegistry.Entry::name,
            ResilienceRegistry.Entry::pattern)
        .containsExactly(
            tuple(PatternType.RETRY, "feed", feed),
            tuple(PatternType.BULKHEAD, "db", db),
            tuple(PatternType.ADAPTIVE_LIMITER, "db", limiter));
  }

  @Test
  void aClosedListenerHearsOfNoMoreInstances() {
    List<ResilienceRegistry.Entry> seen = Collections.synchronizedList(new ArrayList<>());
    Subscription subscription = registry.onAdded(seen::add);
    registry.bulkhead("db");

    subscription.close();
    subscription.close();
    registry.bulkhead("cache");

    assertThat(seen).extracting(ResilienceRegistry.Entry::name).containsExactly("db");
  }

  @Test
  void aListenerThatThrowsBreaksNeitherTheCreationNorOtherListeners() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    registry.onAdded(
        entry -> {
          throw new IllegalStateException("broken listener");
        });
    registry.onAdded(entry -> seen.add(entry.name()));

    assertThat(registry.bulkhead("db").name()).isEqualTo("db");
    assertThat(seen).containsExactly("db");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void anInstanceCreatedWhileAListenerRegistersIsSeenExactlyOnce() throws Exception {
    for (int round = 0; round < 50; round++) {
      ResilienceRegistry fresh =
          ResilienceRegistry.builder().bulkheadDefaults(bulkheadDefaults).build();
      Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
      CountDownLatch gate = new CountDownLatch(1);
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> creators =
            IntStream.range(0, 8)
                .<Future<?>>mapToObj(
                    t ->
                        threads.submit(
                            () -> {
                              gate.await();
                              for (int i = 0; i < 25; i++) {
                                fresh.bulkhead("b" + t + "-" + i);
                              }
                              return null;
                            }))
                .toList();
        Future<?> registering =
            threads.submit(
                () -> {
                  gate.await();
                  return fresh.onAdded(
                      entry ->
                          calls
                              .computeIfAbsent(entry.name(), n -> new AtomicInteger())
                              .incrementAndGet());
                });
        gate.countDown();
        for (Future<?> f : creators) {
          f.get(10, TimeUnit.SECONDS);
        }
        registering.get(10, TimeUnit.SECONDS);
      }
      assertThat(calls).hasSize(200);
      assertThat(calls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }
  }
}
