package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RateLimiterTest {

  enum Mode {
    SYNC,
    ASYNC
  }

  private final ManualTicker ticker = new ManualTicker();
  private final EventBus bus = new EventBus();

  private RateLimiter limiter(int rate, Duration period, int burst) {
    return limiter(RateLimiterConfig.builder().rate(rate).period(period).burst(burst));
  }

  private RateLimiter limiter(RateLimiterConfig.Builder config) {
    return RateLimiter.of("api", config.ticker(ticker).eventBus(bus).build());
  }

  /** Runs one call blocking or async and returns its value, or throws what the caller saw. */
  private static String run(RateLimiter limiter, Mode mode, AtomicInteger calls) throws Exception {
    if (mode == Mode.SYNC) {
      return limiter.call(() -> "ok" + calls.incrementAndGet());
    }
    try {
      return limiter
          .<String>callAsync(
              () -> CompletableFuture.completedFuture("ok" + calls.incrementAndGet()))
          .toCompletableFuture()
          .join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void aFullBucketGrantsTheBurstThenRefusesWithTheTimeToTheNextToken() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 20);
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.tryAcquire().granted()).isTrue();
    }
    RateLimiter.Result refused = limiter.tryAcquire();
    assertThat(refused.granted()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterNanos()).isEqualTo(100_000_000L);
    assertThat(refused.nanosUntilNextToken()).isEqualTo(100_000_000L);
    assertThat(refused.nanosUntilFull()).isEqualTo(2_000_000_000L);
  }

  @Test
  void refillIsExactEvenWhenAPeriodIsNotAWholeNumberOfTokens() {
    RateLimiter limiter = limiter(3, Duration.ofSeconds(1), 1);
    assertThat(limiter.tryAcquire().granted()).isTrue();
    assertThat(limiter.tryAcquire().retryAfterNanos()).isEqualTo(333_333_334L);
    ticker.advanceNanos(333_333_333L);
    assertThat(limiter.tryAcquire().granted()).isFalse();
    ticker.advanceNanos(1);
    assertThat(limiter.tryAcquire().granted()).isTrue();
  }

  @Test
  void anIdleBucketNeverHoldsMoreThanTheBurst() {
    RateLimiter limiter = limiter(100, Duration.ofSeconds(1), 5);
    ticker.advance(Duration.ofHours(1));
    assertThat(limiter.availableTokens()).isEqualTo(5);
    assertThat(limiter.tryAcquire(5).granted()).isTrue();
    assertThat(limiter.tryAcquire().granted()).isFalse();
  }

  @Test
  void aGrantReportsWhatIsLeftAndWhenTheBucketIsFullAgain() {
    RateLimiter limiter = limiter(2, Duration.ofSeconds(1), 4);
    RateLimiter.Result result = limiter.tryAcquire(3);
    assertThat(result).isEqualTo(new RateLimiter.Result(true, 1, 500_000_000L, 0, 1_500_000_000L));
    assertThat(limiter.tryAcquire(2))
        .isEqualTo(new RateLimiter.Result(false, 1, 500_000_000L, 500_000_000L, 1_500_000_000L));
  }

  @Test
  void asManyPermitsAsTheBurstCanBeAskedForButNoMore() {
    RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 3);
    assertThatThrownBy(() -> limiter.tryAcquire(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be between 1 and the burst 3, got 4");
    assertThatThrownBy(() -> limiter.tryAcquire(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(limiter.tryAcquire(3).granted()).isTrue();
  }

  @Test
  void acquireRefusesAtOnceWhenThePermitIsFurtherAwayThanMaxWait() throws Exception {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 1);
    limiter.tryAcquire();
    assertThat(limiter.acquire(Duration.ofMillis(99))).isFalse();
    assertThat(limiter.acquire(Duration.ZERO)).isFalse();
  }

  @Test
  void acquireWaitsForItsReservedTokenAndQueuedWaitersComeInOrder() throws Exception {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 1);
    limiter.tryAcquire();
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    try {
      Future<Boolean> first = threads.submit(() -> limiter.acquire(Duration.ofSeconds(1)));
      org.awaitility.Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> limiter.tryAcquire().retryAfterNanos() == 200_000_000L);
      Future<Boolean> second = threads.submit(() -> limiter.acquire(Duration.ofSeconds(1)));
      org.awaitility.Awaitility.await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> limiter.tryAcquire().retryAfterNanos() == 300_000_000L);
      ticker.advance(Duration.ofMillis(100));
      assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(second.isDone()).isFalse();
      ticker.advance(Duration.ofMillis(100));
      assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      threads.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallWithoutAPermitIsRefusedAndNeverRuns(Mode mode) throws Exception {
    RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 1);
    AtomicInteger calls = new AtomicInteger();
    assertThat(run(limiter, mode, calls)).isEqualTo("ok1");
    assertThatThrownBy(() -> run(limiter, mode, calls))
        .isInstanceOfSatisfying(
            RequestNotPermittedException.class,
            e -> {
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
              assertThat(e.patternName()).isEqualTo("api");
              assertThat(e.reason()).isEqualTo(FailureReason.RATE_LIMITED);
            });
    assertThat(calls).hasValue(1);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(run(limiter, mode, calls)).isEqualTo("ok2");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRefusalGoesThroughTheExceptionHandling(Mode mode) {
    List<ExceptionContext> seen = new CopyOnWriteArrayList<>();
    ExceptionHandling handling =
        ExceptionHandling.builder()
            .onException(seen::add)
            .transform(context -> new IllegalStateException("slow down"))
            .build();
    RateLimiter limiter = limiter(RateLimiterConfig.builder().rate(1).exceptionHandling(handling));
    limiter.tryAcquire();
    assertThatThrownBy(() -> run(limiter, mode, new AtomicInteger())).hasMessage("slow down");
    assertThat(seen)
        .singleElement()
        .satisfies(
            context -> {
              assertThat(context.reason()).isEqualTo(FailureReason.RATE_LIMITED);
              assertThat(context.metadata())
                  .containsEntry("retryAfterNanos", 1_000_000_000L)
                  .containsEntry("burst", 1L);
            });
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallWaitsUpToTheTimeoutForAPermit(Mode mode) throws Exception {
    RateLimiter limiter =
        RateLimiter.of(
            "fast",
            RateLimiterConfig.builder()
                .rate(1000)
                .burst(1)
                .timeout(Duration.ofSeconds(5))
                .eventBus(bus)
                .build()); // real ticker: the wait is one millisecond
    AtomicInteger calls = new AtomicInteger();
    assertThat(run(limiter, mode, calls)).isEqualTo("ok1");
    assertThat(run(limiter, mode, calls)).isEqualTo("ok2");
  }

  @Test
  void grantsAndRefusalsArePublishedToTheInstanceAndTheBus() {
    RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 1);
    List<RateLimiterEvent> mine = new CopyOnWriteArrayList<>();
    List<ResilienceEvent> all = new CopyOnWriteArrayList<>();
    limiter.events().onEvent(mine::add);
    bus.subscribeAll(all::add);
    limiter.tryAcquire();
    limiter.tryAcquire();
    long at = ticker.nanos();
    assertThat(mine)
        .containsExactly(
            new RateLimiterEvent.Acquired("api", at, 1, 0),
            new RateLimiterEvent.Rejected("api", at, 1, 1_000_000_000L));
    assertThat(all).isEqualTo(mine);
    assertThat(mine.getFirst().patternType()).isEqualTo(PatternType.RATE_LIMITER);
  }
}
