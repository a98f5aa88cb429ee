package dev.switchboard.resilience.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.BulkheadConfig;
import dev.switchboard.resilience.CircuitBreaker;
import dev.switchboard.resilience.CircuitBreakerConfig;
import dev.switchboard.resilience.EventBus;
import dev.switchboard.resilience.FallbackConfig;
import dev.switchboard.resilience.ResilienceRegistry;
import dev.switchboard.resilience.RetryConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Binding a registry meters its instances, now and later, until the binder is closed. */
class ResilienceMetricsTest {

  private final EventBus bus = new EventBus();
  private final ResilienceRegistry registry =
      ResilienceRegistry.builder()
          .circuitBreakerDefaults(CircuitBreakerConfig.builder().eventBus(bus).build())
          .bulkheadDefaults(BulkheadConfig.builder().maxConcurrentCalls(3).eventBus(bus).build())
          .retryDefaults(RetryConfig.builder().eventBus(bus).build())
          .build();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void instancesHeldWhenBoundAndCreatedLaterAllGetMeters() {
    registry.circuitBreaker("payments");
    try (ResilienceMetrics metrics = ResilienceMetrics.of(registry)) {
      metrics.bindTo(meters);
      Bulkhead db = registry.bulkhead("db");
      registry.fallback(
          "quote", FallbackConfig.<String>builder().value("n/a").eventBus(bus).build());

      assertThat(
              meters
                  .get("switchboard.resilience.circuit.breaker.state")
                  .tags("name", "payments", "state", "closed")
                  .gauge()
                  .value())
          .isEqualTo(1);
      assertThat(
              meters
                  .get("switchboard.resilience.bulkhead.max.permits")
                  .tags("name", "db")
                  .gauge()
                  .value())
          .isEqualTo(3);
      assertThat(
              meters.find("switchboard.resilience.fallback.calls").tag("name", "quote").counters())
          .hasSize(2);

      db.tryAcquire();
      assertThat(
              meters
                  .get("switchboard.resilience.bulkhead.calls")
                  .tags("name", "db", "kind", "permitted")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void closingStopsListeningAndRemovesTheMeters() {
    CircuitBreaker payments = registry.circuitBreaker("payments");
    ResilienceMetrics metrics = ResilienceMetrics.of(registry);
    metrics.bindTo(meters);
    assertThat(payments.events().isObserved()).isTrue();

    metrics.close();
    metrics.close();
    registry.bulkhead("db");

    assertThat(payments.events().isObserved()).as("the binder's event listener is gone").isFalse();
    assertThat(meters.getMeters()).isEmpty();
    assertThatThrownBy(() -> metrics.bindTo(meters)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void oneBinderMetersInEveryMeterRegistryItIsBoundTo() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    try (ResilienceMetrics metrics = ResilienceMetrics.of(registry)) {
      metrics.bindTo(meters);
      metrics.bindTo(other);
      registry.retry("push");

      assertThat(meters.find("switchboard.resilience.retry.retries").tag("name", "push").counter())
          .isNotNull();
      assertThat(other.find("switchboard.resilience.retry.retries").tag("name", "push").counter())
          .isNotNull();
    }
    assertThat(other.getMeters()).isEmpty();
  }

  @Test
  void everyMeterIsTaggedWithItsInstanceName() {
    registry.circuitBreaker("payments");
    registry.bulkhead("db");
    registry.adaptiveLimiter("db");
    registry.loadShedder("api");
    registry.backpressure("outbox");
    registry.rateLimiter("api");
    registry.<String>keyedRateLimiter("api");
    registry.timeout("feed");
    registry.retry("push");
    registry.fallback("quote", FallbackConfig.<String>builder().value("n/a").eventBus(bus).build());
    try (ResilienceMetrics metrics = ResilienceMetrics.of(registry)) {
      metrics.bindTo(meters);

      assertThat(meters.getMeters())
          .allSatisfy(
              meter -> {
                assertThat(meter.getId().getName()).startsWith("switchboard.resilience.");
                assertThat(meter.getId().getTag("name"))
                    .isIn("payments", "db", "api", "outbox", "feed", "push", "quote");
              });
      assertThat(meters.getMeters())
          .extracting(meter -> meter.getId().getName().split("\\.")[2])
          .containsOnly(
              "circuit",
              "bulkhead",
              "adaptive",
              "load",
              "backpressure",
              "rate",
              "keyed",
              "timeout",
              "retry",
              "fallback");
    }
  }

  @Test
  void instancesCreatedConcurrentlyWithBindingAreEachMeteredOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (ResilienceMetrics metrics = ResilienceMetrics.of(registry)) {
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> creators =
            IntStream.range(0, 4)
                .<Future<?>>mapToObj(
                    t ->
                        threads.submit(
                            () -> {
                              gate.await();
                              for (int i = 0; i < 50; i++) {
                                registry.bulkhead("b" + t + "-" + i).tryAcquire();
                              }
                              return null;
                            }))
                .toList();
        Future<?> binding =
            threads.submit(
                () -> {
                  gate.await();
                  metrics.bindTo(meters);
                  return null;
                });
        gate.countDown();
        binding.get(10, TimeUnit.SECONDS);
        for (Future<?> f : creators) {
          f.get(10, TimeUnit.SECONDS);
        }
      }
      List<Meter> gauges =
          meters.find("switchboard.resilience.bulkhead.available.permits").meters().stream()
              .toList();
      assertThat(gauges).hasSize(200);
      assertThat(registry.all())
          .allSatisfy(
              entry -> assertThat(((Bulkhead) entry.pattern()).events().isObserved()).isTrue());
    }
  }
}
