package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.CircuitBreakerCalls.Mode;
import dev.switchboard.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sliding windows, the open wait's jitter, and the manual (integration) API. */
class CircuitBreakerWindowTest {

  private static final long SECOND = 1_000_000_000L;

  private final ManualTicker ticker = new ManualTicker();

  @Property
  void packedCountsReadBackEvenWhileAFieldIsBrieflyNegative(
      @ForAll @IntRange(min = -1, max = 1_000_000) int calls,
      @ForAll @IntRange(min = -1, max = 1_000_000) int failed,
      @ForAll @IntRange(min = -1, max = 1_000_000) int slow) {
    long packed = calls + ((long) failed << 21) + ((long) slow << 42);

    assertThat(SlidingWindow.calls(packed)).isEqualTo(Math.max(0, calls));
    assertThat(SlidingWindow.failed(packed)).isEqualTo(Math.max(0, failed));
    assertThat(SlidingWindow.slow(packed)).isEqualTo(Math.max(0, slow));
  }

  @Test
  void theCountWindowKeepsOnlyTheLastCalls() {
    SlidingWindow window = new SlidingWindowByCount(3);
    window.record(SlidingWindow.FAILED | SlidingWindow.SLOW, 0);
    window.record(SlidingWindow.FAILED, 0);
    window.record(0, 0);

    long counts = window.record(SlidingWindow.SLOW, 0);

    assertThat(SlidingWindow.calls(counts)).isEqualTo(3);
    assertThat(SlidingWindow.failed(counts)).isEqualTo(1);
    assertThat(SlidingWindow.slow(counts)).isEqualTo(1);
  }

  @Test
  void theTimeWindowForgetsCallsOlderThanItsSize() {
    SlidingWindow window = new SlidingWindowByTime(10, 0);
    window.record(SlidingWindow.FAILED, 0);
    window.record(SlidingWindow.FAILED, 5 * SECOND);

    assertThat(SlidingWindow.failed(window.counts(10 * SECOND - 1))).isEqualTo(2);
    assertThat(SlidingWindow.failed(window.counts(10 * SECOND))).isEqualTo(1);
    assertThat(SlidingWindow.calls(window.counts(100 * SECOND))).isZero();
    assertThat(SlidingWindow.calls(window.record(0, 100 * SECOND))).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTimeBasedBreakerJudgesOnlyTheCallsOfItsWindow(Mode mode) throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "clock",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .eventBus(new EventBus())
                .slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(60)
                .build());
    CircuitBreakerCalls calls = new CircuitBreakerCalls(breaker, mode, ticker);
    calls.fail();
    calls.fail();
    ticker.advance(Duration.ofSeconds(11));
    calls.succeed();
    calls.fail();
    calls.succeed();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);

    calls.fail();

    assertThat(breaker.metrics().failureRate()).hasValue(50.0);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    calls.fail();
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void theOpenWaitIsJitteredWithinItsBounds() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .ticker(ticker)
            .eventBus(new EventBus())
            .consecutiveFailureThreshold(1)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .openWaitJitter(0.5)
            .build();
    for (int round = 0; round < 50; round++) {
      CircuitBreaker breaker = CircuitBreaker.of("jitter", config);
      breaker.onError(0, new IllegalStateException());
      ticker.advance(Duration.ofMillis(4_999));
      assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
      ticker.advance(Duration.ofMillis(10_002));
      assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    }
  }

  @Test
  void integrationCodeReportsOutcomesThroughTheManualApi() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "manual",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .eventBus(new EventBus())
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .slowCallDurationThreshold(Duration.ofMillis(100))
                .build());
    for (int i = 0; i < 3; i++) {
      assertThat(breaker.tryAcquirePermission()).isTrue();
      breaker.onSuccess(Duration.ofMillis(100 * i).toNanos());
    }
    assertThat(breaker.tryAcquirePermission()).isTrue();
    breaker.onError(5, new IllegalStateException());

    assertThat(breaker.metrics())
        .isEqualTo(
            new CircuitBreakerMetrics(
                CircuitState.CLOSED,
                java.util.OptionalDouble.of(25.0),
                java.util.OptionalDouble.of(50.0),
                4,
                1,
                2,
                0));
  }

  @Test
  void anOutcomeReportedAfterATransitionCannotMoveTheCircuit() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "stale",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .eventBus(new EventBus())
                .consecutiveFailureThreshold(1)
                .build());

    assertThatThrownBy(
            () ->
                breaker.call(
                    () -> {
                      breaker.reset();
                      throw new java.io.IOException("admitted before the reset");
                    }))
        .hasMessage("admitted before the reset");

    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @Test
  void anAsyncSupplierThatThrowsIsAFailedStageAndAFailure() {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "async",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .eventBus(new EventBus())
                .consecutiveFailureThreshold(1)
                .build());

    var stage =
        breaker
            .<String>callAsync(
                () -> {
                  throw new IllegalStateException("before any stage");
                })
            .toCompletableFuture();

    assertThat(stage).isCompletedExceptionally();
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }
}
