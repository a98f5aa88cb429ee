package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoadGeneratorTest {

  private static final Duration STALL = Duration.ofSeconds(5);

  private final ExecutorService replies = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopReplies() throws InterruptedException {
    replies.shutdownNow();
    assertThat(replies.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void sequentialTimesEveryCallOneAtATime() throws InterruptedException {
    FakeTarget target = new FakeTarget(n -> "ok");

    SequentialStats stats = new LoadGenerator(target, STALL).sequential(10, 200);

    assertThat(stats.calls()).isEqualTo(200);
    assertThat(target.calls.get()).isEqualTo(210);
    assertThat(target.maxInFlight.get()).isEqualTo(1);
  }

  @Test
  void pipelinedKeepsExactlyKCallsInFlightAndLetsThemFinish() throws InterruptedException {
    FakeTarget target = new FakeTarget(n -> "ok");

    PipelinedStats stats =
        new LoadGenerator(target, STALL)
            .pipelined(16, Duration.ofMillis(100), Duration.ofMillis(300));

    assertThat(stats.inflight()).isEqualTo(16);
    assertThat(stats.calls()).isPositive();
    assertThat(stats.callsPerSecond()).isPositive();
    assertThat(target.maxInFlight.get()).isEqualTo(16);
    assertThat(target.inFlight.get()).isZero();
  }

  @Test
  void aWrongReplyFailsTheSequentialPhase() {
    FakeTarget target = new FakeTarget(n -> n == 5 ? "oops" : "ok");

    assertThatThrownBy(() -> new LoadGenerator(target, STALL).sequential(0, 100))
        .isInstanceOf(BenchmarkException.class)
        .hasMessageContaining("'oops'");
  }

  @Test
  void aWrongReplyFailsThePipelinedPhase() {
    FakeTarget target = new FakeTarget(n -> n == 50 ? "oops" : "ok");

    assertThatThrownBy(
            () ->
                new LoadGenerator(target, STALL)
                    .pipelined(4, Duration.ofMillis(100), Duration.ofSeconds(2)))
        .isInstanceOf(BenchmarkException.class)
        .hasMessageContaining("'oops'");
  }

  @Test
  void aLostReplyEndsTheRunAtTheStallLimit() {
    FakeTarget target = new FakeTarget(n -> n == 20 ? null : "ok"); // null: never answered

    assertThatThrownBy(
            () ->
                new LoadGenerator(target, Duration.ofSeconds(1))
                    .pipelined(1, Duration.ZERO, Duration.ofSeconds(10)))
        .isInstanceOf(BenchmarkException.class)
        .hasMessageContaining("stalled");
  }

  @Test
  void aCallThatFailsFailsTheRun() {
    FakeTarget target = new FakeTarget(n -> n == 3 ? "!boom" : "ok");

    assertThatThrownBy(() -> new LoadGenerator(target, STALL).sequential(0, 10))
        .isInstanceOf(BenchmarkException.class)
        .hasMessageContaining("boom");
  }

  /**
   * Answers each call from another thread: the reply for call n, "!x" to fail it, null to never
   * answer.
   */
  private final class FakeTarget implements EchoTarget {
    final AtomicLong calls = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final LongFunction<String> reply;

    FakeTarget(LongFunction<String> reply) {
      this.reply = reply;
    }

    @Override
    public CompletableFuture<String> call() {
      long n = calls.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<String> f = new CompletableFuture<>();
      String answer = reply.apply(n);
      if (answer != null) {
        replies.execute(
            () -> {
              inFlight.decrementAndGet();
              if (answer.startsWith("!")) {
                f.completeExceptionally(new IllegalStateException(answer.substring(1)));
              } else {
                f.complete(answer);
              }
            });
      }
      return f;
    }

    @Override
    public String expectedReply() {
      return "ok";
    }

    @Override
    public void close() {}
  }
}
