package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class TimeoutAsyncTest {

  private static final Duration SHORT = Duration.ofMillis(30);

  @Test
  void aLateCompletableFutureIsCancelled() {
    CompletableFuture<String> source = new CompletableFuture<>();
    Timeout timeout =
        Timeout.of("t", TimeoutConfig.builder().timeout(SHORT).eventBus(new EventBus()).build());
    CompletionStage<String> result = timeout.callAsync(() -> source);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> result.toCompletableFuture().isDone());
    assertThat(result.toCompletableFuture()).isCompletedExceptionally();
    assertThat(source).isCancelled();
  }

  @Test
  void withCancellationOffTheLateSourceIsLeftRunning() {
    CompletableFuture<String> source = new CompletableFuture<>();
    Timeout timeout =
        Timeout.of(
            "t",
            TimeoutConfig.builder()
                .timeout(SHORT)
                .cancelRunningFuture(false)
                .eventBus(new EventBus())
                .build());
    CompletionStage<String> result = timeout.callAsync(() -> source);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> result.toCompletableFuture().isDone());
    assertThat(source).isNotDone();
  }

  @Test
  void cancellingTheResultCancelsTheSourceAndTheTimer() {
    CompletableFuture<String> source = new CompletableFuture<>();
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    scheduler.setRemoveOnCancelPolicy(true);
    try {
      Timeout timeout =
          Timeout.of(
              "t",
              TimeoutConfig.builder()
                  .timeout(Duration.ofMinutes(5))
                  .scheduler(scheduler)
                  .eventBus(new EventBus())
                  .build());
      CompletableFuture<String> result = timeout.callAsync(() -> source).toCompletableFuture();
      assertThat(scheduler.getQueue()).hasSize(1);
      assertThat(result.cancel(true)).isTrue();
      assertThat(source).isCancelled();
      assertThat(scheduler.getQueue()).isEmpty();
      assertThat(result.cancel(true)).as("cancelled already").isTrue();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aCallThatCompletesInTimeLeavesNoTimerBehind() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    scheduler.setRemoveOnCancelPolicy(true);
    try {
      Timeout timeout =
          Timeout.of(
              "t",
              TimeoutConfig.builder()
                  .timeout(Duration.ofMinutes(5))
                  .scheduler(scheduler)
                  .eventBus(new EventBus())
                  .build());
      for (int i = 0; i < 100; i++) {
        assertThat(
                timeout
                    .callAsync(() -> CompletableFuture.completedFuture("ok"))
                    .toCompletableFuture())
            .isCompletedWithValue("ok");
      }
      assertThat(scheduler.getQueue()).isEmpty();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aCallThatStartedWhileNobodyListenedPublishesNoSuccessButATimeOutIsAlwaysPublished() {
    EventBus bus = new EventBus();
    Timeout timeout = Timeout.of("t", TimeoutConfig.builder().timeout(SHORT).eventBus(bus).build());
    CompletableFuture<String> late = new CompletableFuture<>();
    CompletionStage<String> quiet =
        timeout.callAsync(() -> CompletableFuture.completedFuture("ok"));
    CompletionStage<String> slow = timeout.callAsync(() -> late);
    List<TimeoutEvent> seen = new CopyOnWriteArrayList<>();
    timeout.events().onEvent(seen::add);
    assertThat(quiet.toCompletableFuture()).isCompletedWithValue("ok");
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> slow.toCompletableFuture().isDone());
    assertThat(seen).singleElement().isInstanceOf(TimeoutEvent.TimedOut.class);
  }

  @Test
  void blockingCallsRunOnAVirtualThreadByDefault() throws Exception {
    assertThat(Timeout.ofDefaults("t").call(() -> Thread.currentThread().isVirtual())).isTrue();
  }

  @Test
  void getAndRunPassUncheckedResultsAndExceptionsThrough() {
    Timeout timeout = Timeout.of("t", TimeoutConfig.builder().eventBus(new EventBus()).build());
    assertThat(timeout.get(() -> 42)).isEqualTo(42);
    AtomicBoolean ran = new AtomicBoolean();
    timeout.run(() -> ran.set(true));
    assertThat(ran).isTrue();
    assertThatThrownBy(
            () ->
                timeout.get(
                    () -> {
                      throw new IllegalStateException("bug");
                    }))
        .isInstanceOf(IllegalStateException.class);
  }
}
