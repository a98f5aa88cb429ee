package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every scenario runs blocking and async. Calls that must time out block on a latch the test never
 * opens, so the only real waiting is the (short) timeout itself.
 */
class TimeoutTest {

  enum Mode {
    BLOCKING,
    ASYNC
  }

  private static final Duration SHORT = Duration.ofMillis(50);

  private final ManualTicker ticker = new ManualTicker();
  private final List<TimeoutEvent> events = new CopyOnWriteArrayList<>();

  private Timeout timeout(TimeoutConfig.Builder config) {
    Timeout timeout = Timeout.of("search", config.ticker(ticker).eventBus(new EventBus()).build());
    timeout.events().onEvent(events::add);
    return timeout;
  }

  /** Runs {@code call} blocking, or async on a virtual thread. */
  static Object run(Mode mode, Timeout timeout, Deadline deadline, Callable<Object> call)
      throws Throwable {
    if (mode == Mode.BLOCKING) {
      return timeout.call(call, deadline);
    }
    try {
      return timeout
          .callAsync(
              () ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          return call.call();
                        } catch (Exception e) {
                          throw new CompletionException(e);
                        }
                      },
                      command -> Thread.ofVirtual().start(command)),
              deadline)
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallThatCompletesInTimeReturnsItsResult(Mode mode) throws Throwable {
    assertThat(run(mode, timeout(TimeoutConfig.builder()), Deadline.none(), () -> "found"))
        .isEqualTo("found");
    assertThat(events).singleElement().isInstanceOf(TimeoutEvent.Succeeded.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theCallsOwnExceptionReachesTheCallerUnchanged(Mode mode) {
    assertThatThrownBy(
            () ->
                run(
                    mode,
                    timeout(TimeoutConfig.builder()),
                    Deadline.none(),
                    () -> {
                      throw new IOException("index missing");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("index missing");
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            TimeoutEvent.Failed.class, e -> assertThat(e.cause()).hasMessage("index missing"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aLateCallTimesOutAndItsWorkIsInterrupted(Mode mode) throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    Timeout timeout = timeout(TimeoutConfig.builder().timeout(SHORT));
    assertThatThrownBy(
            () ->
                run(
                    mode,
                    timeout,
                    Deadline.none(),
                    () -> {
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                      }
                      return "too late";
                    }))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class,
            e -> {
              assertThat(e.limit()).isEqualTo(SHORT);
              assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT);
              assertThat(e.getMessage()).contains("search", "PT0.05S");
            });
    if (mode == Mode.BLOCKING) { // a CompletableFuture's cancel cannot interrupt its worker
      assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(events)
        .singleElement()
        .isEqualTo(new TimeoutEvent.TimedOut("search", ticker.nanos(), SHORT));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExpiredDeadlineFailsWithoutStartingTheCall(Mode mode) {
    AtomicBoolean started = new AtomicBoolean();
    Deadline expired = Deadline.after(Duration.ofSeconds(1), ticker);
    ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(
            () ->
                run(mode, timeout(TimeoutConfig.builder()), expired, () -> started.getAndSet(true)))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.limit()).isZero());
    assertThat(started).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aDeadlineLeavingLessThanTheTimeoutBoundsTheWait(Mode mode) {
    Deadline deadline = Deadline.after(SHORT, ticker);
    assertThatThrownBy(
            () ->
                run(
                    mode,
                    timeout(TimeoutConfig.builder().timeout(Duration.ofMinutes(1))),
                    deadline,
                    () -> {
                      new CountDownLatch(1).await();
                      return "never";
                    }))
        .isInstanceOfSatisfying(
            TimeoutExceededException.class, e -> assertThat(e.limit()).isEqualTo(SHORT));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTimeoutTellsTheCallbackAndThrowsTheTransformersException(Mode mode) {
    List<ExceptionContext> contexts = new CopyOnWriteArrayList<>();
    Timeout timeout =
        timeout(
            TimeoutConfig.builder()
                .timeout(SHORT)
                .exceptionHandling(
                    ExceptionHandling.builder()
                        .onException(contexts::add)
                        .transform(c -> new IllegalStateException("slow " + c.patternName()))
                        .build()));
    assertThatThrownBy(
            () ->
                run(
                    mode,
                    timeout,
                    Deadline.none(),
                    () -> {
                      new CountDownLatch(1).await();
                      return "never";
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("slow search");
    assertThat(contexts)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.reason()).isEqualTo(FailureReason.TIMEOUT);
              assertThat(c.metadata()).containsEntry("limit", SHORT);
            });
  }
}
