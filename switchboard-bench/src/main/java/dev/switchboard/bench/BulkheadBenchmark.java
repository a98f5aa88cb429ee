package dev.switchboard.bench;

import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.BulkheadConfig;
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
 * A semaphore bulkhead that is never full (1,000 permits, at most a few threads here) and never
 * waits: take a permit, run the call, give the permit back. resilience4j's {@code
 * SemaphoreBulkhead} is decorated once in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BulkheadBenchmark {

  private static final int PERMITS = 1_000;

  private Bulkhead switchboard;
  private Supplier<Integer> resilience4j;

  @Setup
  public void setUp() {
    switchboard =
        Bulkhead.of(
            "bench",
            BulkheadConfig.builder().maxConcurrentCalls(PERMITS).maxWait(Duration.ZERO).build());
    resilience4j =
        io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(
            io.github.resilience4j.bulkhead.Bulkhead.of(
                "bench",
                io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                    .maxConcurrentCalls(PERMITS)
                    .maxWaitDuration(Duration.ZERO)
                    .build()),
            ResiliencePayload.SUPPLIER);
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
}
