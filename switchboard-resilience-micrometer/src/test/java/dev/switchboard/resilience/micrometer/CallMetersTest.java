package dev.switchboard.resilience.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.Backoff;
import dev.switchboard.resilience.CircuitBreaker;
import dev.switchboard.resilience.CircuitBreakerConfig;
import dev.switchboard.resilience.EventBus;
import dev.switchboard.resilience.ExceptionHandling;
import dev.switchboard.resilience.Fallback;
import dev.switchboard.resilience.FallbackConfig;
import dev.switchboard.resilience.RetriesExhaustedException;
import dev.switchboard.resilience.Retry;
import dev.switchboard.resilience.RetryConfig;
import dev.switchboard.resilience.Timeout;
import dev.switchboard.resilience.TimeoutConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Circuit breaker, retry, timeout and fallback meters exist with their tags and move with the
 * calls.
 */
class CallMetersTest {

  private final EventBus bus = new EventBus();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private ResilienceMetrics metrics;

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void circuitBreakerMetersShowStateCallsSlowCallsRefusalsAndRates() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "payments",
            CircuitBreakerConfig.builder()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofMillis(100))
                .eventBus(bus)
                .build());
    metrics = ResilienceMetrics.of(breaker);
    metrics.bindTo(meters);

    assertThat(gauge("switchboard.resilience.circuit.breaker.state", "state", "closed"))
        .isEqualTo(1);
    assertThat(gauge("switchboard.resilience.circuit.breaker.state", "state", "open")).isZero();
    assertThat(gauge("switchboard.resilience.circuit.breaker.failure.rate")).isNaN();

    record(breaker, null, 10);
    record(breaker, null, 150);
    record(breaker, new IOException("down"), 200);
    assertThat(gauge("switchboard.resilience.circuit.breaker.buffered.calls")).isEqualTo(3);
    record(breaker, new IOException("down"), 10);
    assertThat(breaker.tryAcquirePermission()).isFalse();

    String calls = "switchboard.resilience.circuit.breaker.calls";
    assertThat(meters.get(calls).tags("name", "payments", "kind", "successful").timer().count())
        .isEqualTo(2);
    assertThat(
            meters
                .get(calls)
                .tags("name", "payments", "kind", "failed")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(210);
    assertThat(counter("switchboard.resilience.circuit.breaker.slow.calls", "kind", "successful"))
        .isEqualTo(1);
    assertThat(counter("switchboard.resilience.circuit.breaker.slow.calls", "kind", "failed"))
        .isEqualTo(1);
    assertThat(counter("switchboard.resilience.circuit.breaker.not.permitted.calls")).isEqualTo(1);
    assertThat(gauge("switchboard.resilience.circuit.breaker.failure.rate")).isEqualTo(50);
    assertThat(gauge("switchboard.resilience.circuit.breaker.slow.call.rate")).isEqualTo(50);
    assertThat(gauge("switchboard.resilience.circuit.breaker.state", "state", "open")).isEqualTo(1);
    assertThat(gauge("switchboard.resilience.circuit.breaker.state", "state", "closed")).isZero();
    assertThat(meters.find("switchboard.resilience.circuit.breaker.state").gauges()).hasSize(5);
  }

  @Test
  void retryCountsCallsByOutcomeAndEachRetry() {
    Retry retry =
        Retry.of(
            "push",
            RetryConfig.builder()
                .maxAttempts(3)
                .backoff(Backoff.constant(Duration.ZERO))
                .sleeper(delay -> {})
                .exceptionHandling(
                    ExceptionHandling.builder().handle(UncheckedIOException.class).build())
                .eventBus(bus)
                .build());
    metrics = ResilienceMetrics.of(retry);
    metrics.bindTo(meters);

    AtomicInteger attempts = new AtomicInteger();
    assertThat(retry.get(() -> "first time")).isEqualTo("first time");
    assertThat(retry.get(() -> failTimes(attempts, 1))).isEqualTo("ok");
    assertThatThrownBy(() -> retry.get(() -> failTimes(new AtomicInteger(), 5)))
        .isInstanceOf(RetriesExhaustedException.class);
    assertThatThrownBy(
            () ->
                retry.get(
                    () -> {
                      throw new IllegalStateException("not retried");
                    }))
        .isInstanceOf(IllegalStateException.class);

    String calls = "switchboard.resilience.retry.calls";
    assertThat(counter(calls, "kind", "successful_without_retry")).isEqualTo(1);
    assertThat(counter(calls, "kind", "successful_with_retry")).isEqualTo(1);
    assertThat(counter(calls, "kind", "failed_with_retry")).isEqualTo(1);
    assertThat(counter(calls, "kind", "failed_without_retry")).isEqualTo(1);
    assertThat(counter("switchboard.resilience.retry.retries")).isEqualTo(1 + 2);
  }

  @Test
  void timeoutTimesSuccessfulFailedAndTimedOutCalls() throws Exception {
    Timeout timeout =
        Timeout.of(
            "feed", TimeoutConfig.builder().timeout(Duration.ofMillis(20)).eventBus(bus).build());
    metrics = ResilienceMetrics.of(timeout);
    metrics.bindTo(meters);

    assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
    assertThatThrownBy(
            () ->
                timeout.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
    CompletableFuture<String> never = new CompletableFuture<>();
    assertThatThrownBy(
            () -> timeout.callAsync(() -> never).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(dev.switchboard.resilience.TimeoutExceededException.class);

    String calls = "switchboard.resilience.timeout.calls";
    assertThat(meters.get(calls).tags("name", "feed", "kind", "successful").timer().count())
        .isEqualTo(1);
    assertThat(meters.get(calls).tags("name", "feed", "kind", "failed").timer().count())
        .isEqualTo(1);
    assertThat(
            meters
                .get(calls)
                .tags("name", "feed", "kind", "timeout")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(20);
  }

  @Test
  void fallbackCountsRecoveredAndFailedCallsAndFailingSteps() {
    Fallback<String> fallback =
        Fallback.of(
            "quote",
            FallbackConfig.<String>builder()
                .recover(
                    failure -> {
                      if (failure instanceof UncheckedIOException) {
                        throw new IllegalStateException("cache down too");
                      }
                      return "cached";
                    })
                .eventBus(bus)
                .build());
    metrics = ResilienceMetrics.of(fallback);
    metrics.bindTo(meters);

    assertThat(
            fallback.get(
                () -> {
                  throw new IllegalArgumentException("bad");
                }))
        .isEqualTo("cached");
    assertThat(fallback.get(() -> "fresh")).isEqualTo("fresh");
    assertThatThrownBy(
            () ->
                fallback.get(
                    () -> {
                      throw new UncheckedIOException(new IOException("down"));
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(counter("switchboard.resilience.fallback.calls", "kind", "recovered")).isEqualTo(1);
    assertThat(counter("switchboard.resilience.fallback.calls", "kind", "failed")).isEqualTo(1);
    assertThat(counter("switchboard.resilience.fallback.step.failures")).isEqualTo(1);
  }

  private static String failTimes(AtomicInteger attempts, int failures) {
    if (attempts.incrementAndGet() <= failures) {
      throw new UncheckedIOException(new IOException("attempt " + attempts.get()));
    }
    return "ok";
  }

  private static void record(CircuitBreaker breaker, Throwable error, long millis) {
    assertThat(breaker.tryAcquirePermission()).isTrue();
    if (error == null) {
      breaker.onSuccess(TimeUnit.MILLISECONDS.toNanos(millis));
    } else {
      breaker.onError(TimeUnit.MILLISECONDS.toNanos(millis), error);
    }
  }

  private double gauge(String name, String... tags) {
    return meters.get(name).tags(tags).gauge().value();
  }

  private double counter(String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }
}
