package dev.switchboard.bench;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.AdaptiveLimiterConfig;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * An AIMD concurrency limiter around a call that succeeds, far below its limit (100, at most a few
 * threads here): acquire, run, report success. resilience4j has no adaptive limiter, so the peer is
 * Netflix concurrency-limits' {@code SimpleLimiter} with an {@code AIMDLimit}, used as its
 * documentation shows (acquire a listener, then {@code onSuccess}, or {@code onIgnore} if the call
 * throws).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdaptiveLimiterBenchmark {

  private static final int INITIAL_LIMIT = 100;
  private static final int MAX_LIMIT = 1_000;

  private AdaptiveLimiter switchboard;
  private SimpleLimiter<Void> netflix;

  @Setup
  public void setUp() {
    switchboard =
        AdaptiveLimiter.of(
            "bench",
            AdaptiveLimiterConfig.builder()
                .initialLimit(INITIAL_LIMIT)
                .maxLimit(MAX_LIMIT)
                .build());
    netflix =
        SimpleLimiter.newBuilder()
            .limit(AIMDLimit.newBuilder().initialLimit(INITIAL_LIMIT).maxLimit(MAX_LIMIT).build())
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
  public Integer netflix() {
    Optional<Limiter.Listener> acquired = netflix.acquire(null);
    if (acquired.isEmpty()) {
      throw new IllegalStateException("the Netflix limiter refused a call below its limit");
    }
    Limiter.Listener listener = acquired.get();
    try {
      Integer result = ResiliencePayload.SUPPLIER.get();
      listener.onSuccess();
      return result;
    } catch (RuntimeException e) {
      listener.onIgnore();
      throw e;
    }
  }
}
