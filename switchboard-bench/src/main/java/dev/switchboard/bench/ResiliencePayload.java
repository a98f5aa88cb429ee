package dev.switchboard.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The call every resilience benchmark protects, the same in all of them and in their {@code direct}
 * rows: a few nanoseconds of CPU that the JIT cannot remove, then a constant. The constant is a
 * cached {@code Integer}, so the payload itself allocates nothing and any B/op a protected row
 * shows is the pattern's.
 */
final class ResiliencePayload {

  /**
   * JMH's unit of CPU burning; small, so the patterns' overhead is not drowned in the payload's
   * noise.
   */
  static final long CPU_TOKENS = 8;

  static final Supplier<Integer> SUPPLIER = ResiliencePayload::compute;
  static final Callable<Integer> CALLABLE = ResiliencePayload::compute;

  /**
   * The asynchronous payload: already complete when returned, as a cache hit or a local call would
   * be.
   */
  static final Supplier<CompletionStage<Integer>> ASYNC =
      () -> CompletableFuture.completedFuture(compute());

  private ResiliencePayload() {}

  static Integer compute() {
    Blackhole.consumeCPU(CPU_TOKENS);
    return 42;
  }
}
