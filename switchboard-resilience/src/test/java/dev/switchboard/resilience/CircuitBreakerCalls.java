package dev.switchboard.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs one call through a breaker blocking or async, so that each scenario is proven both ways. */
final class CircuitBreakerCalls {

  enum Mode {
    SYNC,
    ASYNC
  }

  private final CircuitBreaker breaker;
  private final Mode mode;
  private final ManualTicker ticker;
  final List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();

  CircuitBreakerCalls(CircuitBreaker breaker, Mode mode, ManualTicker ticker) {
    this.breaker = breaker;
    this.mode = mode;
    this.ticker = ticker;
    breaker.events().onEvent(events::add);
  }

  /** A call that takes {@code took} on the ticker and returns {@code result}. */
  <T> T returning(T result, Duration took) throws Exception {
    return run(
        () -> {
          ticker.advance(took);
          return result;
        });
  }

  String succeed() throws Exception {
    return returning("ok", Duration.ZERO);
  }

  /** A call that throws {@code error}; returns what the caller saw. */
  Throwable failWith(Exception error) {
    try {
      run(
          () -> {
            throw error;
          });
    } catch (Exception seen) {
      return seen;
    }
    throw new AssertionError("the call did not fail");
  }

  Throwable fail() {
    return failWith(new java.io.IOException("down"));
  }

  <T> T run(Callable<T> body) throws Exception {
    if (mode == Mode.SYNC) {
      return breaker.call(body);
    }
    CompletableFuture<T> stage =
        breaker
            .<T>callAsync(
                () -> {
                  try {
                    return CompletableFuture.completedFuture(body.call());
                  } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                  }
                })
            .toCompletableFuture();
    try {
      return stage.join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  <E extends CircuitBreakerEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
