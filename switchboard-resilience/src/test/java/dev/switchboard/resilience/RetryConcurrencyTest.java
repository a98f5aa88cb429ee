package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetryConcurrencyTest {

  @Test
  void concurrentCallsOnVirtualThreadsKeepTheirOwnAttemptCounts() throws Exception {
    int callers = 64;
    AtomicInteger succeededAfterRetry = new AtomicInteger();
    Retry retry =
        Retry.of(
            "shared",
            RetryConfig.builder()
                .maxAttempts(3)
                .eventBus(new EventBus())
                .backoff(Backoff.constant(Duration.ofMillis(5)))
                .sleeper(d -> Thread.yield())
                .build());
    retry
        .events()
        .onEvent(
            e -> {
              if (e instanceof RetryEvent.SucceededAfterRetry s && s.attempts() == 3) {
                succeededAfterRetry.incrementAndGet();
              }
            });
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < callers; i++) {
        AtomicInteger attempts = new AtomicInteger();
        results.add(
            threads.submit(
                () -> {
                  assertThat(gate.await(5, TimeUnit.SECONDS)).isTrue();
                  return retry.call(
                      () -> {
                        if (attempts.incrementAndGet() < 3) {
                          throw new IOException("flaky");
                        }
                        return "ok after " + attempts.get();
                      });
                }));
      }
      gate.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("ok after 3");
      }
    }
    assertThat(succeededAfterRetry).hasValue(callers);
  }

  @Test
  void aCallerInterruptedWhileWaitingStopsRetryingWithInterruptedException() throws Exception {
    Retry retry =
        Retry.of(
            "slow",
            RetryConfig.builder()
                .maxAttempts(5)
                .eventBus(new EventBus())
                .backoff(Backoff.constant(Duration.ofMinutes(1)))
                .build());
    CountDownLatch firstAttempt = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    retry.call(
                        () -> {
                          attempts.incrementAndGet();
                          firstAttempt.countDown();
                          throw new IOException("down");
                        });
                  } catch (Exception e) {
                    thrown.set(e);
                  }
                });
    assertThat(firstAttempt.await(5, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    assertThat(caller.join(Duration.ofSeconds(5))).isTrue();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(attempts).hasValue(1);
  }
}
