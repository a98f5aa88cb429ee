package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every scenario runs blocking and async; waits advance a manual ticker instead of sleeping. */
class RetryTest {

  enum Mode {
    BLOCKING,
    ASYNC
  }

  private final ManualTicker ticker = new ManualTicker();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final TickingScheduler scheduler = new TickingScheduler(ticker, waits);
  private final List<RetryEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private RetryConfig.Builder config() {
    return RetryConfig.builder()
        .ticker(ticker)
        .eventBus(new EventBus())
        .scheduler(scheduler)
        .sleeper(
            d -> {
              waits.add(d);
              ticker.advance(d);
            })
        .backoff(Backoff.constant(Duration.ofMillis(100)));
  }

  private Retry retry(RetryConfig.Builder config) {
    Retry retry = Retry.of("payments", config.build());
    retry.events().onEvent(events::add);
    return retry;
  }

  static Object run(Mode mode, Retry retry, Callable<Object> call) throws Throwable {
    if (mode == Mode.BLOCKING) {
      return retry.call(call);
    }
    try {
      return retry.callAsync(() -> stageOf(call)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  static <T> CompletionStage<T> stageOf(Callable<T> call) {
    try {
      return CompletableFuture.completedFuture(call.call());
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Failing {@code failures} times with an IOException, then answering "ok". */
  static Callable<Object> failingTimes(int failures, AtomicInteger attempts) {
    return () -> {
      if (attempts.incrementAndGet() <= failures) {
        throw new IOException("attempt " + attempts.get());
      }
      return "ok";
    };
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFirstSuccessIsReturnedWithoutRetryAndReportedAsSuch(Mode mode) throws Throwable {
    AtomicInteger attempts = new AtomicInteger();
    assertThat(run(mode, retry(config()), failingTimes(0, attempts))).isEqualTo("ok");
    assertThat(attempts).hasValue(1);
    assertThat(events).singleElement().isInstanceOf(RetryEvent.SucceededWithoutRetry.class);
    assertThat(waits).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void handledFailuresAreRetriedAfterTheBackoffUntilSuccess(Mode mode) throws Throwable {
    AtomicInteger attempts = new AtomicInteger();
    Object result = run(mode, retry(config().maxAttempts(3)), failingTimes(2, attempts));

    assertThat(result).isEqualTo("ok");
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
    assertThat(events).hasSize(3);
    assertThat(events.get(0))
        .isInstanceOfSatisfying(
            RetryEvent.Retrying.class,
            e -> {
              assertThat(e.attempt()).isEqualTo(1);
              assertThat(e.delay()).isEqualTo(Duration.ofMillis(100));
              assertThat(e.cause()).get().extracting(Throwable::getMessage).isEqualTo("attempt 1");
            });
    assertThat(events.get(2))
        .isEqualTo(new RetryEvent.SucceededAfterRetry("payments", ticker.nanos(), 3));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void afterMaxAttemptsTheLastFailureIsTheCauseWithEarlierOnesSuppressed(Mode mode) {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> run(mode, retry(config().maxAttempts(3)), failingTimes(5, attempts)))
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> {
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
              assertThat(e.getMessage()).contains("payments", "3 attempt(s)", "maxAttempts 3");
              assertThat(e.getCause()).hasMessage("attempt 3");
              assertThat(e.getCause().getSuppressed())
                  .extracting(Throwable::getMessage)
                  .containsExactly("attempt 1", "attempt 2");
              assertThat(e.lastResult()).isEmpty();
            });
    assertThat(attempts).hasValue(3);
    assertThat(events.getLast()).isInstanceOf(RetryEvent.Exhausted.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anUnhandledExceptionReachesTheCallerAtOnce(Mode mode) {
    Retry retry =
        retry(
            config()
                .exceptionHandling(ExceptionHandling.builder().handle(IOException.class).build()));
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                run(
                    mode,
                    retry,
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalStateException("bug");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("bug");
    assertThat(attempts).hasValue(1);
    assertThat(events).singleElement().isInstanceOf(RetryEvent.IgnoredFailure.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetriedResultIsRetriedAndOnExhaustionCarriedByTheException(Mode mode) {
    AtomicInteger attempts = new AtomicInteger();
    Retry retry =
        retry(config().maxAttempts(2).retryOnResult(r -> r instanceof Integer i && i < 0));
    assertThatThrownBy(() -> run(mode, retry, () -> -attempts.incrementAndGet()))
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> {
              assertThat(e.getCause()).isNull();
              assertThat(e.lastResult()).contains(-2);
            });
    assertThat(events.getFirst())
        .isInstanceOfSatisfying(RetryEvent.Retrying.class, e -> assertThat(e.cause()).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noRetryStartsAfterTheMaxDuration(Mode mode) {
    AtomicInteger attempts = new AtomicInteger();
    Retry retry =
        retry(
            config()
                .maxAttempts(10)
                .maxDuration(Duration.ofSeconds(1))
                .backoff(Backoff.constant(Duration.ofMillis(200))));
    // each attempt takes 400 ms: attempt 2 starts at 600 ms and ends at 1 s; a third would start at
    // 1.2 s
    assertThatThrownBy(
            () ->
                run(
                    mode,
                    retry,
                    () -> {
                      attempts.incrementAndGet();
                      ticker.advance(Duration.ofMillis(400));
                      throw new IOException("slow");
                    }))
        .isInstanceOfSatisfying(
            RetriesExhaustedException.class,
            e -> assertThat(e.getMessage()).contains("maxDuration PT1S"));
    assertThat(attempts).hasValue(2);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exponentialBackoffGrowsUpToItsMaximum(Mode mode) throws Throwable {
    Retry retry =
        retry(
            config()
                .maxAttempts(5)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(300))));
    run(mode, retry, failingTimes(4, new AtomicInteger()));
    assertThat(waits)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            Duration.ofMillis(300));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void givingUpTellsTheCallbackAndThrowsTheTransformersException(Mode mode) {
    List<ExceptionContext> contexts = new CopyOnWriteArrayList<>();
    Retry retry =
        retry(
            config()
                .maxAttempts(2)
                .exceptionHandling(
                    ExceptionHandling.builder()
                        .onException(contexts::add)
                        .transform(c -> new IllegalStateException("gave up: " + c.reason()))
                        .build()));
    assertThatThrownBy(() -> run(mode, retry, failingTimes(9, new AtomicInteger())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("gave up: RETRIES_EXHAUSTED");
    assertThat(contexts)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.patternType()).isEqualTo(PatternType.RETRY);
              assertThat(c.cause()).get().extracting(Throwable::getMessage).isEqualTo("attempt 2");
              assertThat(c.metadata()).containsEntry("attempts", 2);
            });
  }

  /** Runs scheduled tasks at once, advancing the ticker by their delay and recording it. */
  static final class TickingScheduler extends ScheduledThreadPoolExecutor {
    private final ManualTicker ticker;
    private final List<Duration> delays;

    TickingScheduler(ManualTicker ticker, List<Duration> delays) {
      super(1);
      this.ticker = ticker;
      this.delays = delays;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      delays.add(Duration.ofNanos(unit.toNanos(delay)));
      ticker.advanceNanos(unit.toNanos(delay));
      return super.schedule(command, 0, unit);
    }
  }
}
