package dev.switchboard.bench;

import dev.switchboard.resilience.Retry;
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
 * A retry around a call that succeeds the first time, default settings on both sides (3 attempts):
 * the cost of being ready to retry. resilience4j's supplier is decorated once in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetryBenchmark {

  private Retry switchboard;
  private Supplier<Integer> resilience4j;

  @Setup
  public void setUp() {
    switchboard = Retry.ofDefaults("bench");
    resilience4j =
        io.github.resilience4j.retry.Retry.decorateSupplier(
            io.github.resilience4j.retry.Retry.ofDefaults("bench"), ResiliencePayload.SUPPLIER);
  }

  @Benchmark
  public Integer direct() {
    return ResiliencePayload.SUPPLIER.get();
  }

  @Benchmark
  public Integer switchboard() {
    return switchboard.get(ResiliencePayload.SUPPLIER);
  }

  @Benchmark
  public Integer resilience4j() {
    return resilience4j.get();
  }
}
