package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BulkheadConcurrencyTest {

  private static final int CALLERS = 200;
  private static final int LIMIT = 7;

  @Test
  void neverRunsMoreThanItsLimitAndEveryPermitComesBack() throws Exception {
    Bulkhead bulkhead =
        Bulkhead.of(
            "limited",
            BulkheadConfig.builder()
                .maxConcurrentCalls(LIMIT)
                .maxWaitingCalls(CALLERS)
                .maxWait(Duration.ofSeconds(30))
                .eventBus(new EventBus())
                .build());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<?>> calls = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CALLERS; i++) {
        calls.add(
            threads.submit(
                () -> {
                  gate.await();
                  return bulkhead.call(
                      () -> {
                        maxSeen.accumulateAndGet(running.incrementAndGet(), Math::max);
                        for (int spin = 0; spin < 50; spin++) {
                          Thread.yield();
                        }
                        running.decrementAndGet();
                        return done.incrementAndGet();
                      });
                }));
      }
      gate.countDown();
      for (Future<?> call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(done).hasValue(CALLERS);
    assertThat(maxSeen.get()).isBetween(1, LIMIT);
    assertThat(bulkhead.availablePermits()).isEqualTo(LIMIT);
    assertThat(bulkhead.waitingCallers()).isZero();
  }

  @Test
  void asyncCallsCountUntilTheirStagesCompleteAndNeverExceedTheLimit() throws Exception {
    Bulkhead bulkhead =
        Bulkhead.of(
            "async",
            BulkheadConfig.builder().maxConcurrentCalls(LIMIT).eventBus(new EventBus()).build());
    Queue<CompletableFuture<Integer>> pending = new ConcurrentLinkedQueue<>();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<?>> callers = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CALLERS; i++) {
        callers.add(
            threads.submit(
                () -> {
                  gate.await();
                  bulkhead
                      .callAsync(
                          () -> {
                            CompletableFuture<Integer> stage = new CompletableFuture<>();
                            pending.add(stage);
                            started.incrementAndGet();
                            return stage;
                          })
                      .exceptionally(
                          e -> {
                            refused.incrementAndGet();
                            return -1;
                          });
                  return null;
                }));
      }
      gate.countDown();
      for (Future<?> caller : callers) {
        caller.get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(started).hasValue(LIMIT);
    assertThat(refused).hasValue(CALLERS - LIMIT);
    assertThat(bulkhead.availablePermits()).isZero();
    pending.forEach(stage -> stage.complete(1));
    assertThat(bulkhead.availablePermits()).isEqualTo(LIMIT);
  }
}
