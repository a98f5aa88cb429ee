package dev.switchboard.bench;

import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import io.github.bucket4j.Bucket;
import java.time.Duration;
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
 * Taking one permit from a rate limiter that never runs out (10⁹ per second with a burst as large,
 * far more than the threads here can take; Bucket4j allows no more than one token per nanosecond)
 * and never waits, then running the call: Switchboard's token bucket, resilience4j's {@code
 * AtomicRateLimiter} (decorated once in setup) and Bucket4j's lock-free local bucket.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {

  private static final int PER_SECOND = 1_000_000_000;

  private RateLimiter switchboard;
  private Supplier<Integer> resilience4j;
  private Bucket bucket4j;

  @Setup
  public void setUp() {
    switchboard =
        RateLimiter.of(
            "bench",
            RateLimiterConfig.builder()
                .rate(PER_SECOND)
                .period(Duration.ofSeconds(1))
                .timeout(Duration.ZERO)
                .build());
    resilience4j =
        io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(
            io.github.resilience4j.ratelimiter.RateLimiter.of(
                "bench",
                io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                    .limitForPeriod(PER_SECOND)
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ZERO)
                    .build()),
            ResiliencePayload.SUPPLIER);
    bucket4j =
        Bucket.builder()
            .addLimit(
                limit -> limit.capacity(PER_SECOND).refillGreedy(PER_SECOND, Duration.ofSeconds(1)))
            .build();
  }

  @Benchmark
  public Integer direct() {
    return ResiliencePayload.SUPPLIER.get();
  }

  @Benchmark
  public Integer switchboard() throws Exception {
    return switchboard.call(ResiliencePayload.CALLABLE);
  }

  @Benchmark
  public Integer resilience4j() {
    return resilience4j.get();
  }

  @Benchmark
  public Integer bucket4j() {
    if (!bucket4j.tryConsume(1)) {
      throw new IllegalStateException(
          "bucket4j ran out of tokens: the benchmark's limit is too low");
    }
    return ResiliencePayload.SUPPLIER.get();
  }
}
