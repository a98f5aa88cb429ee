package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdaptiveLimiterTest {

  private final EventBus bus = new EventBus();

  private AdaptiveLimiter limiter(int initial, int min, int max) {
    return AdaptiveLimiter.of(
        "db",
        AdaptiveLimiterConfig.builder()
            .initialLimit(initial)
            .minLimit(min)
            .maxLimit(max)
            .eventBus(bus)
            .build());
  }

  private static List<AdaptiveLimiter.Permit> hold(AdaptiveLimiter limiter, int n) {
    List<AdaptiveLimiter.Permit> permits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      permits.add(limiter.tryAcquire().orElseThrow());
    }
    return permits;
  }

  @Test
  void callsBeyondTheLimitAreRefusedAtOnceAndCounted() {
    AdaptiveLimiter limiter = limiter(3, 1, 10);
    hold(limiter, 3);

    assertThat(limiter.tryAcquire()).isEmpty();
    assertThatThrownBy(() -> limiter.call(() -> "x"))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("db")
        .hasMessageContaining("limit 3")
        .hasMessageContaining("3 calls in flight");
    assertThat(limiter.rejected()).isEqualTo(2);
  }

  @Test
  void anIdleLimiterDoesNotGrowHoweverManyCallsSucceedOneAtATime() throws Exception {
    AdaptiveLimiter limiter = limiter(20, 1, 100);
    for (int i = 0; i < 1_000; i++) {
      limiter.call(() -> "ok");
    }
    assertThat(limiter.limit()).isEqualTo(20);
  }

  @Test
  void aSuccessThatFoundTheLimitHalfUsedRaisesItByOne() {
    AdaptiveLimiter limiter = limiter(10, 1, 100);
    List<AdaptiveLimiter.Permit> permits = hold(limiter, 5);

    permits.getLast().success(); // the 5th call found 5 of 10 in flight
    assertThat(limiter.limit()).isEqualTo(11);
    permits.getFirst().success(); // the 1st found 1 of 11
    assertThat(limiter.limit()).isEqualTo(11);
  }

  @Test
  void aFailureMultipliesTheLimitByTheBackoffRatioButNeverBelowTheMinimum() throws Exception {
    AdaptiveLimiter limiter = limiter(20, 5, 100);
    assertThatThrownBy(
            () ->
                limiter.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
    assertThat(limiter.limit()).isEqualTo(18);
    for (int i = 0; i < 50; i++) {
      limiter.tryAcquire().orElseThrow().failure();
    }
    assertThat(limiter.limit()).isEqualTo(5);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void theLimitNeverPassesTheMaximum() {
    AdaptiveLimiter limiter = limiter(4, 1, 5);
    for (int round = 0; round < 10; round++) {
      hold(limiter, limiter.limit()).forEach(AdaptiveLimiter.Permit::success);
    }
    assertThat(limiter.limit()).isEqualTo(5);
  }

  @Test
  void anExceptionTheHandlingDoesNotCountLeavesTheLimitAlone() {
    AdaptiveLimiter limiter =
        AdaptiveLimiter.of(
            "db",
            AdaptiveLimiterConfig.builder()
                .initialLimit(10)
                .exceptionHandling(ExceptionHandling.builder().handle(IOException.class).build())
                .eventBus(bus)
                .build());
    assertThatThrownBy(
            () ->
                limiter.call(
                    () -> {
                      throw new IllegalArgumentException("caller's bug");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(limiter.limit()).isEqualTo(10);
  }

  @Test
  void reportingAPermitTwiceCountsOnce() {
    AdaptiveLimiter limiter = limiter(10, 1, 100);
    AdaptiveLimiter.Permit permit = limiter.tryAcquire().orElseThrow();
    permit.failure();
    permit.failure();
    assertThat(limiter.limit()).isEqualTo(9);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void asyncCallsHoldTheirPermitUntilTheStageCompletesAndFailuresShrinkTheLimit() {
    AdaptiveLimiter limiter = limiter(2, 1, 10);
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    limiter.callAsync(() -> first);
    limiter.callAsync(() -> second);

    assertThat(limiter.callAsync(() -> CompletableFuture.completedFuture("third")))
        .failsWithin(1, TimeUnit.SECONDS)
        .withThrowableThat()
        .withCauseInstanceOf(LimitExceededException.class);

    first.completeExceptionally(new IOException("down"));
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(limiter.limit()).isEqualTo(1);
    second.complete("ok"); // found 2 of 2 in flight: the limit grows again
    assertThat(limiter.limit()).isEqualTo(2);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void limitChangesAndRefusalsArePublished() {
    List<AdaptiveLimiterEvent> events = new ArrayList<>();
    AdaptiveLimiter limiter = limiter(2, 1, 10);
    limiter.events().onEvent(events::add);
    List<AdaptiveLimiter.Permit> permits = hold(limiter, 2);
    limiter.tryAcquire();
    permits.get(1).success();

    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOf(AdaptiveLimiterEvent.Rejected.class);
    assertThat(events.get(1))
        .isEqualTo(
            new AdaptiveLimiterEvent.LimitChanged(
                "db", ((AdaptiveLimiterEvent.LimitChanged) events.get(1)).atNanos(), 2, 3));
  }

  @Test
  void racingThreadsNeverHoldMoreThanTheLimit() throws Exception {
    AdaptiveLimiter limiter = limiter(7, 7, 7);
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 64; t++) {
        threads.execute(
            () -> {
              await(start);
              for (int i = 0; i < 500; i++) {
                limiter
                    .tryAcquire()
                    .ifPresent(
                        permit -> {
                          most.accumulateAndGet(now.incrementAndGet(), Math::max);
                          Thread.yield();
                          now.decrementAndGet();
                          permit.success();
                        });
              }
            });
      }
      start.countDown();
    }
    assertThat(most.get()).isBetween(1, 7);
    assertThat(limiter.inFlight()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
