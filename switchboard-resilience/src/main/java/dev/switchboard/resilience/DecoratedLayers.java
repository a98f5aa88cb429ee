package dev.switchboard.resilience;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The patterns chosen for one decorated call and the fixed order in which they wrap it (see {@link
 * Resilience}). Each slot is set at most once. Not thread-safe while configured; read-only
 * afterwards.
 */
final class DecoratedLayers<T> {

  private Fallback<T> fallback;
  private LoadShedder loadShedder;
  private CallPriority priority = CallPriority.NORMAL;
  private Backpressure backpressure;
  private Retry retry;
  private CircuitBreaker circuitBreaker;
  private RateLimiter rateLimiter;
  private Timeout timeout;
  private Bulkhead bulkhead;
  private AdaptiveLimiter adaptiveLimiter;

  private static <V> V once(V current, V value, String pattern) {
    if (value == null) {
      throw new NullPointerException(pattern);
    }
    if (current != null) {
      throw new IllegalStateException(pattern + " must be added at most once, got a second one");
    }
    return value;
  }

  void fallback(Fallback<T> value) {
    fallback = once(fallback, value, "fallback");
  }

  void loadShedder(LoadShedder value, CallPriority callPriority) {
    loadShedder = once(loadShedder, value, "loadShedder");
    if (callPriority == null) {
      throw new NullPointerException("priority");
    }
    priority = callPriority;
  }

  void backpressure(Backpressure value) {
    backpressure = once(backpressure, value, "backpressure");
  }

  void retry(Retry value) {
    retry = once(retry, value, "retry");
  }

  void circuitBreaker(CircuitBreaker value) {
    circuitBreaker = once(circuitBreaker, value, "circuitBreaker");
  }

  void rateLimiter(RateLimiter value) {
    rateLimiter = once(rateLimiter, value, "rateLimiter");
  }

  void timeout(Timeout value) {
    timeout = once(timeout, value, "timeout");
  }

  void bulkhead(Bulkhead value) {
    bulkhead = once(bulkhead, value, "bulkhead");
  }

  void adaptiveLimiter(AdaptiveLimiter value) {
    adaptiveLimiter = once(adaptiveLimiter, value, "adaptiveLimiter");
  }

  /**
   * {@code call} wrapped from the inside out: adaptive limiter, bulkhead, timeout, ... fallback
   * outermost.
   */
  Callable<T> wrap(Callable<T> call) {
    Callable<T> c = call;
    if (adaptiveLimiter != null) {
      Callable<T> in = c;
      AdaptiveLimiter p = adaptiveLimiter;
      c = () -> p.call(in);
    }
    if (bulkhead != null) {
      Callable<T> in = c;
      Bulkhead p = bulkhead;
      c = () -> p.call(in);
    }
    if (timeout != null) {
      Callable<T> in = c;
      Timeout p = timeout;
      c = () -> p.call(in);
    }
    if (rateLimiter != null) {
      Callable<T> in = c;
      RateLimiter p = rateLimiter;
      c = () -> p.call(in);
    }
    if (circuitBreaker != null) {
      Callable<T> in = c;
      CircuitBreaker p = circuitBreaker;
      c = () -> p.call(in);
    }
    if (retry != null) {
      Callable<T> in = c;
      Retry p = retry;
      c = () -> p.call(in);
    }
    if (backpressure != null) {
      Callable<T> in = c;
      Backpressure p = backpressure;
      c = () -> p.call(in);
    }
    if (loadShedder != null) {
      Callable<T> in = c;
      LoadShedder p = loadShedder;
      CallPriority pr = priority;
      c = () -> p.call(pr, in);
    }
    if (fallback != null) {
      Callable<T> in = c;
      Fallback<T> p = fallback;
      c = () -> p.call(in);
    }
    return c;
  }

  /** The asynchronous twin of {@link #wrap}, in the same order. */
  Supplier<CompletionStage<T>> wrapAsync(Supplier<? extends CompletionStage<T>> call) {
    Supplier<CompletionStage<T>> s = call::get;
    if (adaptiveLimiter != null) {
      var in = s;
      AdaptiveLimiter p = adaptiveLimiter;
      s = () -> p.callAsync(in);
    }
    if (bulkhead != null) {
      var in = s;
      Bulkhead p = bulkhead;
      s = () -> p.callAsync(in);
    }
    if (timeout != null) {
      var in = s;
      Timeout p = timeout;
      s = () -> p.callAsync(in);
    }
    if (rateLimiter != null) {
      var in = s;
      RateLimiter p = rateLimiter;
      s = () -> p.callAsync(in);
    }
    if (circuitBreaker != null) {
      var in = s;
      CircuitBreaker p = circuitBreaker;
      s = () -> p.callAsync(in);
    }
    if (retry != null) {
      var in = s;
      Retry p = retry;
      s = () -> p.callAsync(in);
    }
    if (backpressure != null) {
      var in = s;
      Backpressure p = backpressure;
      s = () -> p.callAsync(in);
    }
    if (loadShedder != null) {
      var in = s;
      LoadShedder p = loadShedder;
      CallPriority pr = priority;
      s = () -> p.callAsync(pr, in);
    }
    if (fallback != null) {
      var in = s;
      Fallback<T> p = fallback;
      s = () -> p.callAsync(in);
    }
    return s;
  }
}
