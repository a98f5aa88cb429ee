package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class TimeoutAsyncTest {

  private static final Duration SHORT = Duration.ofMillis(30);

  @Test
  void aLateCompletableFutureIsCancelled() {
    CompletableFuture<String> source = new CompletableFuture<>();
    Timeout timeout = Timeout.of("t", TimeoutConfig.builder().timeout(SHORT).eventBus(new EventBus()).build());
    CompletionStage<String> result = timeout.callAsync(() -> source);
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> result.toCompletableFuture().isDone());
    assertThat(result.toCompletableFuture()).isCompletedExceptionally();
    assertThat(source).isCancelled();
  }

  @Test
  void withCancellationOffTheLateSourceIsLeftRunning() {
    CompletableFuture<String> source = new CompletableFuture<>();
    Timeout timeout = Timeout.of("t", TimeoutConfig.builder().timeout(SHORT).cancelRunningFuture(false)
        .eventBus(new EventBus()).build());
    CompletionStage<String> result = timeout.callAsync(() -> source);
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> result.toCompletableFuture().isDone());
    assertThat(source).isNotDone();
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
    assertThatThrownBy(() -> timeout.get(() -> {
      throw new IllegalStateException("bug");
    })).isInstanceOf(IllegalStateException.class);
  }
}
