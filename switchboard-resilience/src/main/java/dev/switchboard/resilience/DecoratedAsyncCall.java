package dev.switchboard.resilience;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An asynchronous call with patterns stacked around it in the order documented on {@link
 * Resilience}, whatever order they were added in; the same behaviour as {@link DecoratedCall},
 * reported through the returned stage. Each {@code with*} method may be used at most once.
 *
 * @param <T> the call's result type
 */
public final class DecoratedAsyncCall<T> {

  private final Supplier<? extends CompletionStage<T>> call;
  private final DecoratedLayers<T> layers = new DecoratedLayers<>();

  DecoratedAsyncCall(Supplier<? extends CompletionStage<T>> call) {
    this.call = call;
  }

  /** Adds a fallback, outermost: it sees the final failure. */
  public DecoratedAsyncCall<T> withFallback(Fallback<T> fallback) {
    layers.fallback(fallback);
    return this;
  }

  /** Adds a load shedder admitting the logical call once at {@code priority}, before any retry. */
  public DecoratedAsyncCall<T> withLoadShedder(LoadShedder loadShedder, CallPriority priority) {
    layers.loadShedder(loadShedder, priority);
    return this;
  }

  /** Adds backpressure admitting the logical call once, before any retry. */
  public DecoratedAsyncCall<T> withBackpressure(Backpressure backpressure) {
    layers.backpressure(backpressure);
    return this;
  }

  /**
   * Adds a retry; each attempt passes the circuit breaker, rate limiter, timeout and bulkhead
   * again.
   */
  public DecoratedAsyncCall<T> withRetry(Retry retry) {
    layers.retry(retry);
    return this;
  }

  /** Adds a circuit breaker, asked once per attempt. */
  public DecoratedAsyncCall<T> withCircuitBreaker(CircuitBreaker circuitBreaker) {
    layers.circuitBreaker(circuitBreaker);
    return this;
  }

  /** Adds a rate limiter; each attempt costs a permit. */
  public DecoratedAsyncCall<T> withRateLimiter(RateLimiter rateLimiter) {
    layers.rateLimiter(rateLimiter);
    return this;
  }

  /** Adds a timeout per attempt, including the wait for a bulkhead slot. */
  public DecoratedAsyncCall<T> withTimeout(Timeout timeout) {
    layers.timeout(timeout);
    return this;
  }

  /** Adds a bulkhead bounding the concurrently running calls. */
  public DecoratedAsyncCall<T> withBulkhead(Bulkhead bulkhead) {
    layers.bulkhead(bulkhead);
    return this;
  }

  /** Adds an adaptive limiter, innermost, measuring the call itself. */
  public DecoratedAsyncCall<T> withAdaptiveLimiter(AdaptiveLimiter limiter) {
    layers.adaptiveLimiter(limiter);
    return this;
  }

  /** Starts the call through the patterns; failures and refusals come back as a failed stage. */
  public CompletionStage<T> callAsync() {
    return layers.wrapAsync(call).get();
  }

  /** The decorated call as a {@link Supplier} of stages, to pass around or start many times. */
  public Supplier<CompletionStage<T>> toSupplier() {
    return layers.wrapAsync(call);
  }
}
