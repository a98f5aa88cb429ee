package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Cancelling what an asynchronous pattern returned reaches the call and gives back what the pattern
 * held, in every pattern that holds something until the call's stage completes.
 */
class ReleasingStageTest {

  private final CompletableFuture<String> call = new CompletableFuture<>();

  @Test
  void theReleaseRunsOnceWhenTheCallCompletesAndTheResultCompletesLikeIt() {
    AtomicInteger released = new AtomicInteger();
    CompletableFuture<String> result =
        ReleasingStage.of(call, (value, failure) -> released.incrementAndGet())
            .toCompletableFuture();
    assertThat(released).hasValue(0);
    call.complete("done");
    assertThat(result).isCompletedWithValue("done");
    result.cancel(true);
    assertThat(released).hasValue(1);
  }

  @Test
  void aStageThatAlreadySucceededIsReleasedAtOnceAndHandedBackAsItIs() {
    AtomicReference<String> seen = new AtomicReference<>();
    CompletableFuture<String> done = CompletableFuture.completedFuture("cached");
    assertThat(ReleasingStage.of(done, (value, failure) -> seen.set(value))).isSameAs(done);
    assertThat(seen).hasValue("cached");
  }

  @Test
  void cancellingTheResultCancelsTheCallAndReleasesOnce() {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicInteger released = new AtomicInteger();
    CompletableFuture<String> result =
        ReleasingStage.of(
                call,
                (value, failure) -> {
                  released.incrementAndGet();
                  seen.set(failure);
                })
            .toCompletableFuture();
    assertThat(result.cancel(true)).isTrue();
    assertThat(call).isCancelled();
    assertThat(released).hasValue(1);
    assertThat(seen.get()).isInstanceOf(java.util.concurrent.CancellationException.class);
  }

  @Test
  void aStageThatCannotBeCancelledIsReleasedAtTheCancellationAndNotAgainWhenItCompletes() {
    CompletionStage<String> uncancellable = call.minimalCompletionStage();
    AtomicInteger released = new AtomicInteger();
    CompletableFuture<String> result =
        ReleasingStage.of(uncancellable, (value, failure) -> released.incrementAndGet())
            .toCompletableFuture();
    result.cancel(true);
    assertThat(released).hasValue(1);
    call.complete("late");
    assertThat(released).hasValue(1);
    assertThat(result).isCancelled();
  }

  @Test
  void cancellingABulkheadsStageGivesThePermitBack() {
    Bulkhead bulkhead = Bulkhead.of("b", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    bulkhead.callAsync(() -> call).toCompletableFuture().cancel(true);
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
    assertThat(call).isCancelled();
  }

  @Test
  void cancellingAnAdaptiveLimitersStageEndsTheCallWithoutChangingTheLimit() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.of("a", AdaptiveLimiterConfig.builder().initialLimit(4).build());
    limiter.callAsync(() -> call).toCompletableFuture().cancel(true);
    assertThat(limiter.inFlight()).isZero();
    assertThat(call).isCancelled();
  }

  @Test
  void cancellingABackpressureStageGivesThePlaceBack() {
    Backpressure backpressure =
        Backpressure.of("p", BackpressureConfig.builder().highWaterMark(2).lowWaterMark(1).build());
    backpressure.callAsync(() -> call).toCompletableFuture().cancel(true);
    assertThat(backpressure.level()).isZero();
  }

  @Test
  void cancellingALoadShedderStageEndsTheCallsFlight() {
    LoadShedder shedder = LoadShedder.of("s", LoadShedderConfig.builder().maxInFlight(4).build());
    shedder.callAsync(CallPriority.NORMAL, () -> call).toCompletableFuture().cancel(true);
    assertThat(shedder.inFlight()).isZero();
  }

  @Test
  void aCancelledHalfOpenTrialIsReportedSoTheBreakerIsNotStuckHalfOpen() {
    ManualTicker ticker = new ManualTicker();
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "c",
            CircuitBreakerConfig.builder()
                .consecutiveFailureThreshold(1)
                .waitDurationInOpenState(Duration.ofSeconds(1))
                .permittedCallsInHalfOpenState(1)
                .ticker(ticker)
                .build());
    breaker.callAsync(() -> CompletableFuture.failedFuture(new IllegalStateException("down")));
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    ticker.advance(Duration.ofSeconds(1));
    CompletableFuture<String> trial = breaker.callAsync(() -> call).toCompletableFuture();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    trial.cancel(true);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }
}
