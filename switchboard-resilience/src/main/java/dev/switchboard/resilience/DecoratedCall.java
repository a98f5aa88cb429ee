package dev.switchboard.resilience;

import java.util.concurrent.Callable;

/**
 * A blocking call with patterns stacked around it in the order documented on {@link Resilience},
 * whatever order they were added in. Each {@code with*} method may be used at most once.
 *
 * @param <T> the call's result type
 */
public final class DecoratedCall<T> {

  private final Callable<T> call;
  private final DecoratedLayers<T> layers = new DecoratedLayers<>();

  DecoratedCall(Callable<T> call) {
    this.call = call;
  }

  /** Adds a fallback, outermost: it sees the final failure. */
  public DecoratedCall<T> withFallback(Fallback<T> fallback) {
    layers.fallback(fallback);
    return this;
  }

  /** Adds a load shedder admitting the logical call once at {@code priority}, before any retry. */
  public DecoratedCall<T> withLoadShedder(LoadShedder loadShedder, CallPriority priority) {
    layers.loadShedder(loadShedder, priority);
    return this;
  }

  /** Adds backpressure admitting the logical call once, before any retry. */
  public DecoratedCall<T> withBackpressure(Backpressure backpressure) {
    layers.backpressure(backpressure);
    return this;
  }

  /**
   * Adds a retry; each attempt passes the circuit breaker, rate limiter, timeout and bulkhead
   * again.
   */
  public DecoratedCall<T> withRetry(Retry retry) {
    layers.retry(retry);
    return this;
  }

  /** Adds a circuit breaker, asked once per attempt. */
  public DecoratedCall<T> withCircuitBreaker(CircuitBreaker circuitBreaker) {
    layers.circuitBreaker(circuitBreaker);
    return this;
  }

  /** Adds a rate limiter; each attempt costs a permit. */
  public DecoratedCall<T> withRateLimiter(RateLimiter rateLimiter) {
    layers.rateLimiter(rateLimiter);
    return this;
  }

  /** Adds a timeout per attempt, including the wait for a bulkhead slot. */
  public DecoratedCall<T> withTimeout(Timeout timeout) {
    layers.timeout(timeout);
    return this;
  }

  /** Adds a bulkhead bounding the concurrently running calls. */
  public DecoratedCall<T> withBulkhead(Bulkhead bulkhead) {
    layers.bulkhead(bulkhead);
    return this;
  }

  /** Adds an adaptive limiter, innermost, measuring the call itself. */
  public DecoratedCall<T> withAdaptiveLimiter(AdaptiveLimiter limiter) {
    layers.adaptiveLimiter(limiter);
    return this;
  }

  /**
   * Runs the call through the patterns. Throws what the outermost pattern throws: the call's own
   * exception, or a {@link ResilienceException} subclass (or what an exception handling's
   * transformer makes of it).
   */
  public T call() throws Exception {
    return layers.wrap(call).call();
  }

  /** The decorated call as a {@link Callable}, to pass around or call many times. */
  public Callable<T> toCallable() {
    return layers.wrap(call);
  }
}
