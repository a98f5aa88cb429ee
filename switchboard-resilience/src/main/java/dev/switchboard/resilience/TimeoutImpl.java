package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** {@link Timeout}: stateless; each call owns its task, timer and result future. */
final class TimeoutImpl implements Timeout {

  private final String name;
  private final TimeoutConfig config;
  private final EventPublisher<TimeoutEvent> events;
  private final Ticker ticker;
  private final long timeoutNanos;

  /**
   * The start of a call that began while nobody listened: the ticker is read for events only, so
   * such a call publishes no success or failure event (a time-out still does).
   */
  static final long UNTIMED = Long.MIN_VALUE;

  TimeoutImpl(String name, TimeoutConfig config) {
    this.name = name;
    this.config = config;
    this.events = new EventPublisher<>(config.eventBus());
    this.ticker = config.ticker();
    this.timeoutNanos = Deadline.saturatedNanos(config.timeout());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TimeoutConfig config() {
    return config;
  }

  @Override
  public EventPublisher<TimeoutEvent> events() {
    return events;
  }

  @Override
  public <T> T call(Callable<T> call, Deadline deadline) throws Exception {
    Objects.requireNonNull(call, "call");
    long limit =
        Math.min(timeoutNanos, Objects.requireNonNull(deadline, "deadline").remainingNanos());
    if (limit == 0) {
      throw timedOut(limit);
    }
    long start = events.isObserved() ? ticker.nanos() : UNTIMED;
    FutureTask<T> task = new FutureTask<>(call);
    config.executor().execute(task);
    try {
      T result = task.get(limit, TimeUnit.NANOSECONDS);
      succeeded(start);
      return result;
    } catch (TimeoutException late) {
      task.cancel(true);
      throw timedOut(limit);
    } catch (InterruptedException e) {
      task.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      failed(start, cause);
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw (Error) cause;
    }
  }

  @Override
  public <T> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> call, Deadline deadline) {
    Objects.requireNonNull(call, "call");
    long limit =
        Math.min(timeoutNanos, Objects.requireNonNull(deadline, "deadline").remainingNanos());
    if (limit == 0) {
      return CompletableFuture.failedFuture(timedOut(limit));
    }
    long start = events.isObserved() ? ticker.nanos() : UNTIMED;
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(call.get(), "the call returned a null stage");
    } catch (Throwable t) {
      failed(start, t);
      return CompletableFuture.failedFuture(t);
    }
    if (ReleasingStage.succeeded(stage)) {
      CompletableFuture<T> done = (CompletableFuture<T>) stage;
      succeeded(
          start); // already complete: it cannot be late, so no timer is armed (a cached answer,
      // say)
      return done;
    }
    TimedStage<T> result = new TimedStage<>(this, stage, limit, start);
    return result.start(config.scheduler().schedule(result, limit, TimeUnit.NANOSECONDS));
  }

  RuntimeException timedOut(long limitNanos) {
    Duration limit = Duration.ofNanos(limitNanos);
    events.emit(() -> new TimeoutEvent.TimedOut(name, ticker.nanos(), limit));
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.TIMEOUT,
            FailureReason.TIMEOUT,
            Optional.empty(),
            Map.of("timeout", config.timeout(), "limit", limit));
    return config.exceptionHandling().onFailure(context, new TimeoutExceededException(name, limit));
  }

  /** Publishes a success, unless the call started while nobody listened ({@link #UNTIMED}). */
  void succeeded(long start) {
    if (start != UNTIMED) {
      events.emit(
          () ->
              new TimeoutEvent.Succeeded(
                  name, ticker.nanos(), Duration.ofNanos(ticker.nanos() - start)));
    }
  }

  void failed(long start, Throwable cause) {
    if (!config.exceptionHandling().handles(cause)) {
      succeeded(start);
      return;
    }
    if (start != UNTIMED) {
      events.emit(
          () ->
              new TimeoutEvent.Failed(
                  name, ticker.nanos(), Duration.ofNanos(ticker.nanos() - start), cause));
    }
  }

  @Override
  public String toString() {
    return "Timeout[" + name + ", " + config.timeout() + "]";
  }
}
