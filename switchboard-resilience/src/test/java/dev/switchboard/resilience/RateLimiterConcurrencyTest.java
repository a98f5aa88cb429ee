package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterConcurrencyTest {

  private static final int THREADS = 8;

  /**
   * Threads hammer the limiter while the ticker moves on step by step, each step only once every
   * token produced so far was taken: after every step the grants are exactly burst + floor(elapsed
   * * rate / period), never more.
   */
  @Test
  void grantsExactlyTheBudgetOverManyPeriodsUnderContention() throws Exception {
    ManualTicker ticker = new ManualTicker();
    long periodNanos = 1_000;
    RateLimiter limiter =
        RateLimiter.of(
            "hammered",
            RateLimiterConfig.builder()
                .rate(3)
                .period(Duration.ofNanos(periodNanos))
                .burst(5)
                .ticker(ticker)
                .eventBus(new EventBus())
                .build());
    AtomicLong grants = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      boolean blockingApi = t % 2 == 0;
      workers.add(
          pool.submit(
              () -> {
                gate.await();
                while (!stop.get()) {
                  boolean granted =
                      blockingApi ? limiter.acquire(Duration.ZERO) : limiter.tryAcquire().granted();
                  if (granted) {
                    grants.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    try {
      gate.countDown();
      SplittableRandom random = new SplittableRandom(42);
      long elapsed = 0;
      for (int step = 0; step < 2_000; step++) {
        long expected = 5 + elapsed * 3 / periodNanos;
        awaitDrained(limiter, grants, expected);
        assertThat(grants.get()).as("grants after %d ns", elapsed).isEqualTo(expected);
        long delta = random.nextLong(1, 800);
        ticker.advanceNanos(delta);
        elapsed += delta;
      }
      assertThat(elapsed / periodNanos).as("periods covered").isGreaterThan(500);
    } finally {
      stop.set(true);
      for (Future<?> worker : workers) {
        worker.get(5, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
  }

  private static void awaitDrained(RateLimiter limiter, AtomicLong grants, long expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (limiter.availableTokens() > 0 || grants.get() < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("tokens not taken: granted " + grants.get() + " of " + expected);
      }
      Thread.onSpinWait();
    }
  }
}
