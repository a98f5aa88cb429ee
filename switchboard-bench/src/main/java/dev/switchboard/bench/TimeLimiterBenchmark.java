package dev.switchboard.bench;

import dev.switchboard.resilience.Timeout;
import dev.switchboard.resilience.TimeoutConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A time limit of 1 s around an asynchronous call whose stage is already complete: each side
 * schedules its timer, sees the stage complete, cancels the timer. The asynchronous form is the one
 * both libraries implement the same way; their blocking forms differ (Switchboard runs the call on
 * an executor, resilience4j waits on a {@code Future} the caller already started), so they would
 * not compare the same work. Both use one scheduler that removes cancelled timers at once, so its
 * queue does not grow with the millions of cancelled timers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimeLimiterBenchmark {

  private static final Duration LIMIT = Duration.ofSeconds(1);

  private ScheduledThreadPoolExecutor scheduler;
  private Timeout switchboard;
  private Supplier<CompletionStage<Integer>> resilience4j;

  @Setup
  public void setUp() {
    scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "bench-timeouts");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    switchboard =
        Timeout.of(
            "bench",
            TimeoutConfig.builder()
                .timeout(LIMIT)
                .scheduler(scheduler)
                .cancelRunningFuture(true)
                .build());
    resilience4j =
        TimeLimiter.of(
                "bench",
                TimeLimiterConfig.custom().timeoutDuration(LIMIT).cancelRunningFuture(true).build())
            .decorateCompletionStage(scheduler, ResiliencePayload.ASYNC);
  }

  @TearDown
  public void tearDown() {
    scheduler.shutdownNow();
  }

  @Benchmark
  public Integer direct() {
    return ResiliencePayload.ASYNC.get().toCompletableFuture().join();
  }

  @Benchmark
  public Integer switchboard() {
    return switchboard.callAsync(ResiliencePayload.ASYNC).toCompletableFuture().join();
  }

  @Benchmark
  public Integer resilience4j() {
    return resilience4j.get().toCompletableFuture().join();
  }
}
