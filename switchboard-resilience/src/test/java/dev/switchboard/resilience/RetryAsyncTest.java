package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Async retries wait on the scheduler, never on a thread. */
class RetryAsyncTest {

  /** Holds the one scheduled task until the test runs it. */
  private final HoldingScheduler scheduler = new HoldingScheduler();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private final Retry retry =
      Retry.of(
          "feed",
          RetryConfig.builder()
              .scheduler(scheduler)
              .eventBus(new EventBus())
              .maxAttempts(3)
              .backoff(Backoff.constant(Duration.ofSeconds(30)))
              .build());

  @Test
  void theCallerGetsTheStageAtOnceAndTheNextAttemptIsScheduledAfterTheBackoff() {
    AtomicInteger attempts = new AtomicInteger();
    CompletionStage<String> result =
        retry.callAsync(
            () ->
                attempts.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IOException("down"))
                    : CompletableFuture.completedFuture("up"));

    assertThat(result.toCompletableFuture()).isNotDone();
    assertThat(scheduler.delayNanos).isEqualTo(Duration.ofSeconds(30).toNanos());
    scheduler.task.get().run();
    assertThat(result.toCompletableFuture()).isCompletedWithValue("up");
    assertThat(attempts).hasValue(2);
  }

  @Test
  void cancellingTheResultStopsFurtherAttempts() {
    AtomicInteger attempts = new AtomicInteger();
    CompletionStage<String> result =
        retry.callAsync(
            () -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(new IOException("down"));
            });
    result.toCompletableFuture().cancel(false);
    scheduler.task.get().run();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aCallThatThrowsInsteadOfReturningAStageCountsAsAFailedAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    CompletionStage<String> result =
        retry.callAsync(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("no stage");
              }
              return CompletableFuture.completedFuture("second");
            });
    scheduler.task.get().run();
    assertThat(result.toCompletableFuture()).isCompletedWithValue("second");
  }

  static final class HoldingScheduler extends ScheduledThreadPoolExecutor {
    final AtomicReference<Runnable> task = new AtomicReference<>();
    volatile long delayNanos;

    HoldingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      task.set(command);
      delayNanos = unit.toNanos(delay);
      return super.schedule(() -> {}, 0, unit);
    }
  }
}
