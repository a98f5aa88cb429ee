package dev.switchboard.bench;

import dev.switchboard.resilience.CircuitBreaker;
import dev.switchboard.resilience.CircuitBreakerConfig;
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
 * A closed circuit breaker around a call that succeeds, with default settings on both sides
 * (count-based window of 100 calls). resilience4j's supplier is decorated once in setup, its
 * cheapest use. The goal is no allocation on this path. Run with {@code ./switchboard bench
 * resilience} (all resilience benchmarks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitBreakerBenchmark {

  private CircuitBreaker switchboard;
  private Supplier<Integer> resilience4j;

  @Setup
  public void setUp() {
    switchboard = CircuitBreaker.of("bench", CircuitBreakerConfig.defaults());
    resilience4j =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
            io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench"),
            ResiliencePayload.SUPPLIER);
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
