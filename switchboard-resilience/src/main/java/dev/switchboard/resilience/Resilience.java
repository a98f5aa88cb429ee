package dev.switchboard.resilience;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Stacks patterns around one call. Patterns may be added in any order; they always wrap the call in
 * this fixed order, from the outside in:
 *
 * <pre>
 * Fallback ( LoadShedder ( Backpressure ( Retry ( CircuitBreaker ( RateLimiter ( Timeout ( Bulkhead
 *     ( AdaptiveLimiter ( call )))))))))
 * </pre>
 *
 * <ul>
 *   <li>Fallback is outermost so it sees the final outcome: the last failure after retries, or any
 *       refusal.
 *   <li>LoadShedder and Backpressure admit or refuse the logical call once, before any attempt:
 *       shedding exists to save work, so a shed call is not retried, and an admitted call keeps its
 *       slot across its retries.
 *   <li>Retry wraps everything per attempt: each attempt asks the circuit breaker and the rate
 *       limiter again (an open breaker fails each attempt fast with {@link
 *       CallNotPermittedException}; each attempt costs a token), and each attempt gets its own
 *       timeout.
 *   <li>CircuitBreaker sits outside RateLimiter, Timeout and Bulkhead so it records timeouts and
 *       the call's failures (a breaker's exception handling decides whether refusals of inner
 *       patterns count).
 *   <li>Timeout outside Bulkhead bounds the whole attempt including the wait for a bulkhead slot;
 *       the bulkhead and adaptive limiter, innermost, bound the calls actually running.
 * </ul>
 *
 * Same order as resilience4j's Retry ( CircuitBreaker ( RateLimiter ( TimeLimiter ( Bulkhead ( call
 * ))))) with Fallback outermost, plus the admission patterns outside Retry. Each pattern may be
 * added at most once (a second one throws {@link IllegalStateException}). Configure a decorated
 * call on one thread, then {@code call()} it from any number of threads.
 */
public final class Resilience {

  private Resilience() {}

  /** Starts decorating a blocking call; finish with {@link DecoratedCall#call()}. */
  public static <T> DecoratedCall<T> decorate(Callable<T> call) {
    return new DecoratedCall<>(Objects.requireNonNull(call, "call"));
  }

  /**
   * Starts decorating an asynchronous call; finish with {@link DecoratedAsyncCall#callAsync()}. The
   * patterns and their order are the same as for {@link #decorate}.
   */
  public static <T> DecoratedAsyncCall<T> decorateAsync(
      Supplier<? extends CompletionStage<T>> call) {
    return new DecoratedAsyncCall<>(Objects.requireNonNull(call, "call"));
  }
}
