package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BulkheadTest {

  enum Mode {
    SYNC,
    ASYNC
  }

  private final ManualTicker ticker = new ManualTicker();

  private Bulkhead bulkhead(BulkheadConfig.Builder config) {
    return Bulkhead.of("db", config.ticker(ticker).eventBus(new EventBus()).build());
  }

  /** Runs {@code body} through the bulkhead blocking or async; throws what the caller saw. */
  private static <T> T run(Bulkhead bulkhead, Mode mode, Callable<T> body) throws Exception {
    if (mode == Mode.SYNC) {
      return bulkhead.call(body);
    }
    try {
      return bulkhead
          .<T>callAsync(
              () -> {
                try {
                  return CompletableFuture.completedFuture(body.call());
                } catch (Exception e) {
                  return CompletableFuture.failedFuture(e);
                }
              })
          .toCompletableFuture()
          .join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFullBulkheadRefusesTheCallWithoutRunningIt(Mode mode) throws Exception {
    Bulkhead bulkhead = bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1));
    List<BulkheadEvent> events = new CopyOnWriteArrayList<>();
    bulkhead.events().onEvent(events::add);
    String inner =
        run(
            bulkhead,
            mode,
            () -> {
              assertThatThrownBy(() -> run(bulkhead, mode, () -> "never"))
                  .isInstanceOfSatisfying(
                      BulkheadFullException.class,
                      e -> {
                        assertThat(e.reason()).isEqualTo(FailureReason.LIMIT_EXCEEDED);
                        assertThat(e).hasMessage("bulkhead 'db' is full: 1 concurrent calls");
                      });
              return "outer ran";
            });
    assertThat(inner).isEqualTo("outer ran");
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Permitted", "Rejected", "Finished");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailingCallGivesItsPermitBack(Mode mode) {
    Bulkhead bulkhead = bulkhead(BulkheadConfig.builder().maxConcurrentCalls(2));
    assertThatThrownBy(
            () ->
                run(
                    bulkhead,
                    mode,
                    () -> {
                      throw new java.io.IOException("down");
                    }))
        .hasMessage("down");
    assertThat(bulkhead.availablePermits()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRefusalGoesThroughTheExceptionHandling(Mode mode) {
    List<ExceptionContext> seen = new CopyOnWriteArrayList<>();
    Bulkhead bulkhead =
        bulkhead(
            BulkheadConfig.builder()
                .maxConcurrentCalls(1)
                .exceptionHandling(
                    ExceptionHandling.builder()
                        .onException(seen::add)
                        .transform(c -> new IllegalStateException("busy"))
                        .build()));
    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThatThrownBy(() -> run(bulkhead, mode, () -> "never")).hasMessage("busy");
    assertThat(seen)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.metadata())
                    .containsEntry("maxConcurrentCalls", 1)
                    .containsEntry("availablePermits", 0));
  }

  @Test
  void anAsyncCallHoldsItsPermitUntilItsStageCompletes() {
    Bulkhead bulkhead = bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1));
    CompletableFuture<String> pending = new CompletableFuture<>();
    var stage = bulkhead.callAsync(() -> pending);
    assertThat(bulkhead.availablePermits()).isZero();
    assertThat(
            bulkhead.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture())
        .isCompletedExceptionally();
    pending.complete("done");
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("done");
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  @Test
  void anAsyncCallThatThrowsBeforeReturningAStageGivesItsPermitBack() {
    Bulkhead bulkhead = bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1));
    CompletableFuture<String> stage =
        bulkhead
            .<String>callAsync(
                () -> {
                  throw new IllegalStateException("boom");
                })
            .toCompletableFuture();
    assertThat(stage).isCompletedExceptionally();
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  @Test
  void aWaiterGetsTheNextReleasedPermit() throws Exception {
    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofSeconds(1)));
    assertThat(bulkhead.tryAcquire()).isTrue();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> waiter = threads.submit(() -> bulkhead.call(() -> "got it"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> bulkhead.waitingCallers() == 1);
      bulkhead.release();
      assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("got it");
    }
    assertThat(bulkhead.waitingCallers()).isZero();
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  @Test
  void aWaiterIsRefusedOnceMaxWaitHasPassed() throws Exception {
    Bulkhead bulkhead =
        bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofSeconds(1)));
    assertThat(bulkhead.tryAcquire()).isTrue();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Boolean> waiter = threads.submit(bulkhead::acquire);
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> bulkhead.waitingCallers() == 1);
      ticker.advance(Duration.ofMillis(999));
      assertThat(waiter.isDone()).isFalse();
      ticker.advance(Duration.ofMillis(1));
      assertThat(waiter.get(5, TimeUnit.SECONDS)).isFalse();
    }
    assertThat(bulkhead.waitingCallers()).isZero();
  }

  @Test
  void aCallerFindingEveryWaitingSlotTakenIsRefusedAtOnce() throws Exception {
    Bulkhead bulkhead =
        bulkhead(
            BulkheadConfig.builder()
                .maxConcurrentCalls(1)
                .maxWaitingCalls(1)
                .maxWait(Duration.ofSeconds(1)));
    assertThat(bulkhead.tryAcquire()).isTrue();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Boolean> waiter = threads.submit(bulkhead::acquire);
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> bulkhead.waitingCallers() == 1);
      assertThat(bulkhead.acquire()).isFalse();
      bulkhead.release();
      assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
      bulkhead.release();
    }
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  @Test
  void releasingMorePermitsThanTakenIsAnError() {
    Bulkhead bulkhead = bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1));
    assertThatThrownBy(bulkhead::release).isInstanceOf(IllegalStateException.class);
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }
}
