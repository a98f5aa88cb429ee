package dev.switchboard.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link Retry}: stateless per instance; each call keeps its own attempt count on its stack or in
 * its closure.
 */
final class RetryImpl implements Retry {

  private static final long GIVE_UP = -1L;

  private final String name;
  private final RetryConfig config;
  private final EventPublisher<RetryEvent> events;
  private final Ticker ticker;
  private final long maxDurationNanos;

  RetryImpl(String name, RetryConfig config) {
    this.name = name;
    this.config = config;
    this.events = new EventPublisher<>(config.eventBus());
    this.ticker = config.ticker();
    this.maxDurationNanos =
        config.maxDuration().map(Deadline::saturatedNanos).orElse(Long.MAX_VALUE);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RetryConfig config() {
    return config;
  }

  @Override
  public EventPublisher<RetryEvent> events() {
    return events;
  }

  @Override
  public <T> T call(Callable<T> call) throws Exception {
    Objects.requireNonNull(call, "call");
    // Reading the clock costs about as much as the rest of a successful call: without maxDuration
    // it is read
    // only once an attempt has failed, and "elapsed" then counts from there.
    boolean timed = maxDurationNanos != Long.MAX_VALUE;
    long start = timed ? ticker.nanos() : 0;
    List<Throwable> earlier = null;
    for (int attempt = 1; ; attempt++) {
      T result = null;
      Exception failure = null;
      try {
        result = call.call();
      } catch (Exception e) {
        if (e instanceof InterruptedException
            || !config.exceptionHandling().handles(e)) { // never retry an interrupt
          ignored(attempt, e);
          throw e;
        }
        failure = e;
      }
      if (failure == null && !config.retryOnResult().test(result)) {
        succeeded(attempt);
        return result;
      }
      if (!timed && attempt == 1) {
        start = ticker.nanos();
      }
      long delay = nextDelay(attempt, start);
      if (delay == GIVE_UP) {
        throw exhausted(attempt, failure, result, earlier, start);
      }
      if (failure != null) {
        earlier = earlier == null ? new ArrayList<>() : earlier;
        earlier.add(failure);
      }
      retrying(attempt, delay, failure);
      config.sleeper().sleep(Duration.ofNanos(delay));
    }
  }

  @Override
  public <T> T get(Supplier<T> call) {
    Objects.requireNonNull(call, "call");
    try {
      return call(call::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    } catch (Exception e) {
      throw new CompletionException(e); // unreachable: a Supplier throws no checked exception
    }
  }

  @Override
  public void run(Runnable call) {
    Objects.requireNonNull(call, "call");
    get(
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    Objects.requireNonNull(call, "call");
    CompletableFuture<T> result = new CompletableFuture<>();
    new AsyncCall<>(call, result, ticker.nanos()).attempt(1);
    return result;
  }

  /**
   * One async call: its attempts run one after another, so its fields are touched by one attempt at
   * a time.
   */
  private final class AsyncCall<T> {
    private final Supplier<? extends CompletionStage<T>> call;
    private final CompletableFuture<T> result;
    private final long start;
    private List<Throwable> earlier;

    AsyncCall(
        Supplier<? extends CompletionStage<T>> call, CompletableFuture<T> result, long start) {
      this.call = call;
      this.result = result;
      this.start = start;
    }

    void attempt(int attempt) {
      if (result.isDone()) {
        return; // the caller cancelled or completed it: stop retrying
      }
      try {
        CompletionStage<T> stage =
            Objects.requireNonNull(call.get(), "the call returned a null stage");
        stage.whenComplete((value, failure) -> completed(attempt, value, failure));
      } catch (Throwable t) {
        completed(attempt, null, t);
      }
    }

    private void completed(int attempt, T value, Throwable thrown) {
      try {
        Throwable failure = unwrap(thrown);
        if (failure != null && !config.exceptionHandling().handles(failure)) {
          ignored(attempt, failure);
          result.completeExceptionally(failure);
          return;
        }
        if (failure == null && !config.retryOnResult().test(value)) {
          succeeded(attempt);
          result.complete(value);
          return;
        }
        long delay = nextDelay(attempt, start);
        if (delay == GIVE_UP) {
          result.completeExceptionally(exhausted(attempt, failure, value, earlier, start));
          return;
        }
        if (failure != null) {
          earlier = earlier == null ? new ArrayList<>() : earlier;
          earlier.add(failure);
        }
        retrying(attempt, delay, failure);
        config.scheduler().schedule(() -> attempt(attempt + 1), delay, TimeUnit.NANOSECONDS);
      } catch (RuntimeException
          | Error e) { // also a RejectedExecutionException of a shut-down scheduler {
        result.completeExceptionally(e);
      }
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private long nextDelay(int attempt, long start) {
    if (attempt >= config.maxAttempts()) {
      return GIVE_UP;
    }
    long delay = config.backoff().delayNanos(attempt, config.random());
    if (maxDurationNanos != Long.MAX_VALUE && ticker.nanos() - start + delay > maxDurationNanos) {
      return GIVE_UP;
    }
    return delay;
  }

  private RuntimeException exhausted(
      int attempts, Throwable failure, Object result, List<Throwable> earlier, long start) {
    String why =
        attempts >= config.maxAttempts()
            ? "maxAttempts " + config.maxAttempts() + " reached"
            : "the next attempt would pass maxDuration " + config.maxDuration().orElseThrow();
    RetriesExhaustedException exception =
        new RetriesExhaustedException(
            name, attempts, failure, failure == null ? result : null, why);
    if (failure != null && earlier != null) {
      for (Throwable e : earlier) {
        if (e != failure) {
          failure.addSuppressed(e);
        }
      }
    }
    events.emit(
        () ->
            new RetryEvent.Exhausted(name, ticker.nanos(), attempts, Optional.ofNullable(failure)));
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.RETRY,
            FailureReason.RETRIES_EXHAUSTED,
            Optional.ofNullable(failure),
            Map.of("attempts", attempts, "elapsed", Duration.ofNanos(ticker.nanos() - start)));
    return config.exceptionHandling().onFailure(context, exception);
  }

  private void retrying(int attempt, long delay, Throwable failure) {
    events.emit(
        () ->
            new RetryEvent.Retrying(
                name,
                ticker.nanos(),
                attempt,
                Duration.ofNanos(delay),
                Optional.ofNullable(failure)));
  }

  private void succeeded(int attempt) {
    if (attempt > 1) {
      events.emit(() -> new RetryEvent.SucceededAfterRetry(name, ticker.nanos(), attempt));
    } else {
      events.emit(() -> new RetryEvent.SucceededWithoutRetry(name, ticker.nanos()));
    }
  }

  private void ignored(int attempt, Throwable failure) {
    events.emit(() -> new RetryEvent.IgnoredFailure(name, ticker.nanos(), attempt, failure));
  }

  @Override
  public String toString() {
    return "Retry[" + name + "]";
  }
}
