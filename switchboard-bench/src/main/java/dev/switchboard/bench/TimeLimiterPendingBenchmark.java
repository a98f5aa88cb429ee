package dev.switchboard.bench;

import dev.switchboard.resilience.Timeout;
import dev.switchboard.resilience.TimeoutConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time limit's full path: the call's stage is still pending when the limiter gets it, and
 * completes right after, so each side arms its timer, sees the stage complete, and cancels the
 * timer ({@link TimeLimiterBenchmark} measures a stage that is already complete, where Switchboard
 * arms no timer at all). Same scheduler and limit as there; {@code direct} is the payload with the
 * same pending future.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimeLimiterPendingBenchmark {

  private static final Duration LIMIT = Duration.ofSeconds(1);

  /** Shared by every thread, as a server's one scheduler would be. */
  private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

  /**
   * This thread's call of the moment; the suppliers below hand it out, so no lambda is built per
   * call.
   */
  private CompletableFuture<Integer> pending;

  private final Supplier<CompletionStage<Integer>> call = () -> pending;
  private Timeout switchboard;
  private Supplier<CompletionStage<Integer>> resilience4j;

  private static ScheduledThreadPoolExecutor scheduler() {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "bench-timeouts");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  @Setup
  public void setUp() {
    switchboard =
        Timeout.of(
            "bench",
            TimeoutConfig.builder()
                .timeout(LIMIT)
                .scheduler(SCHEDULER)
                .cancelRunningFuture(true)
                .build());
    resilience4j =
        TimeLimiter.of(
                "bench",
                TimeLimiterConfig.custom().timeoutDuration(LIMIT).cancelRunningFuture(true).build())
            .decorateCompletionStage(SCHEDULER, call);
  }

  @Benchmark
  public Integer direct() {
    pending = new CompletableFuture<>();
    CompletionStage<Integer> stage = call.get();
    pending.complete(ResiliencePayload.compute());
    return stage.toCompletableFuture().join();
  }

  @Benchmark
  public Integer switchboard() {
    pending = new CompletableFuture<>();
    CompletionStage<Integer> stage = switchboard.callAsync(call);
    pending.complete(ResiliencePayload.compute());
    return stage.toCompletableFuture().join();
  }

  @Benchmark
  public Integer resilience4j() {
    pending = new CompletableFuture<>();
    CompletionStage<Integer> stage = resilience4j.get();
    pending.complete(ResiliencePayload.compute());
    return stage.toCompletableFuture().join();
  }
}
