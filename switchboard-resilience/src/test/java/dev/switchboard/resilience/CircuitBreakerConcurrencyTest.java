package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races on the half-open permits and the lock-free window; the allocation-free closed path. */
@Timeout(10)
class CircuitBreakerConcurrencyTest {

  private static final int THREADS = 64;

  private final ManualTicker ticker = new ManualTicker();

  /** Keeps the probe allocation from being optimised away. */
  static volatile Object sink;

  @Test
  void halfOpenAdmitsExactlyThePermittedTrialCallsWhenSixtyFourThreadsRace() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "race",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .eventBus(new EventBus())
                .consecutiveFailureThreshold(1)
                .permittedCallsInHalfOpenState(5)
                .waitDurationInOpenState(Duration.ofSeconds(1))
                .build());
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int round = 0; round < 50; round++) {
        breaker.reset();
        breaker.onError(0, new IllegalStateException());
        ticker.advance(Duration.ofSeconds(1));

        assertThat(race(pool, breaker::tryAcquirePermission)).as("round %d", round).isEqualTo(5);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
      }
    }
  }

  @Test
  void halfOpenAdmitsExactlyThePermittedTrialCallsOnVirtualThreads() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "virtual",
            CircuitBreakerConfig.builder()
                .ticker(ticker)
                .eventBus(new EventBus())
                .consecutiveFailureThreshold(1)
                .permittedCallsInHalfOpenState(3)
                .build());
    breaker.onError(0, new IllegalStateException());
    ticker.advance(Duration.ofMinutes(1));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      assertThat(race(pool, breaker::tryAcquirePermission)).isEqualTo(3);
    }
    assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(THREADS - 3);
  }

  @Test
  void theCountWindowLosesNoOutcomeUnderContention() throws Exception {
    SlidingWindow window = new SlidingWindowByCount(100);
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      race(
          pool,
          () -> {
            for (int i = 0; i < 2_000; i++) {
              window.record(SlidingWindow.FAILED, 0);
            }
            return true;
          });
    }
    long counts = window.counts(0);
    assertThat(SlidingWindow.calls(counts)).isEqualTo(100);
    assertThat(SlidingWindow.failed(counts)).isEqualTo(100);
    assertThat(SlidingWindow.slow(counts)).isZero();
  }

  @Test
  void aClosedSuccessfulCallAllocatesNothingWhenNobodyListens() {
    CircuitBreaker breaker =
        CircuitBreaker.of("hot", CircuitBreakerConfig.builder().eventBus(new EventBus()).build());
    Object payload = new Object();
    java.util.function.Supplier<Object> call = () -> payload;
    AllocatedBytes allocatedBytes = new AllocatedBytes();
    long probe = allocatedBytes.ofThisThread();
    sink = new byte[4096];
    assertThat(allocatedBytes.ofThisThread() - probe)
        .as("the counter sees allocation")
        .isGreaterThanOrEqualTo(4096);
    for (int i = 0; i < 200_000; i++) {
      breaker.get(call);
    }

    long before = allocatedBytes.ofThisThread();
    for (int i = 0; i < 100_000; i++) {
      breaker.get(call);
      if (breaker.tryAcquirePermission()) {
        breaker.onSuccess(10);
      }
    }
    long allocated = allocatedBytes.ofThisThread() - before;

    assertThat(allocated).as("bytes for 100,000 calls").isLessThan(1_000);
  }

  /**
   * The JDK's per-thread allocation counter, reached by reflection because the module under test
   * does not read {@code java.management} (and its module-info is not the tests' to change).
   */
  private static final class AllocatedBytes {
    private final Object bean;
    private final java.lang.reflect.Method counter;

    AllocatedBytes() {
      try {
        bean =
            Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean")
                .invoke(null);
        counter =
            Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("no per-thread allocation counter in this JVM", e);
      }
    }

    long ofThisThread() {
      try {
        return (long) counter.invoke(bean);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Runs {@code task} on {@link #THREADS} tasks released together ({@code pool} must run them all
   * at once); returns how many returned true.
   */
  private static int race(ExecutorService pool, java.util.concurrent.Callable<Boolean> task)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(
          pool.submit(
              () -> {
                ready.countDown();
                assertThat(go.await(5, TimeUnit.SECONDS)).isTrue();
                return task.call();
              }));
    }
    assertThat(ready.await(5, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    AtomicInteger admitted = new AtomicInteger();
    for (Future<Boolean> result : results) {
      if (result.get(5, TimeUnit.SECONDS)) {
        admitted.incrementAndGet();
      }
    }
    return admitted.get();
  }
}
