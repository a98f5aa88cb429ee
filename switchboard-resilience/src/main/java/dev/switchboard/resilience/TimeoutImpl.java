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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** {@link Timeout}: stateless; each call owns its task, timer and result future. */
final class TimeoutImpl implements Timeout {

  private final String name;
  private final TimeoutConfig config;
  private final EventPublisher<TimeoutEvent> events;
  private final Ticker ticker;
  private final long timeoutNanos;

  TimeoutImpl(String name, TimeoutConfig config) {
    this.name = name;
    this.config = config;
    this.events = new EventPublisher<>(config.eventBus());
    this.ticker = config.ticker();
    this.timeoutNanos = Deadline.saturatedNanos(config.timeout());
  }

  @Override public String name() { return name; }

  @Override public TimeoutConfig config() { return config; }

  @Override public EventPublisher<TimeoutEvent> events() { return events; }

  @Override
  public <T> T call(Callable<T> call, Deadline deadline) throws Exception {
    Objects.requireNonNull(call, "call");
    long limit = Math.min(timeoutNanos, Objects.requireNonNull(deadline, "deadline").remainingNanos());
    if (limit == 0) {
      throw timedOut(limit);
    }
    long start = ticker.nanos();
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
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call, Deadline deadline) {
    Objects.requireNonNull(call, "call");
    long limit = Math.min(timeoutNanos, Objects.requireNonNull(deadline, "deadline").remainingNanos());
    if (limit == 0) {
      return CompletableFuture.failedFuture(timedOut(limit));
    }
    long start = ticker.nanos();
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(call.get(), "the call returned a null stage");
    } catch (Throwable t) {
      failed(start, t);
      return CompletableFuture.failedFuture(t);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    // Whoever settles first (the timer or the call) publishes its event, then completes the result: a caller that
    // sees the outcome also sees the event.
    AtomicBoolean settled = new AtomicBoolean();
    ScheduledFuture<?> timer = config.scheduler().schedule(() -> {
      if (settled.compareAndSet(false, true)) {
        result.completeExceptionally(timedOut(limit));
        if (config.cancelRunningFuture() && stage instanceof CompletableFuture<?> source) {
          source.cancel(true);
        }
      }
    }, limit, TimeUnit.NANOSECONDS);
    stage.whenComplete((value, thrown) -> {
      timer.cancel(false);
      if (!settled.compareAndSet(false, true)) {
        return;
      }
      if (thrown == null) {
        succeeded(start);
        result.complete(value);
      } else {
        Throwable cause = RetryImpl.unwrap(thrown);
        failed(start, cause);
        result.completeExceptionally(cause);
      }
    });
    return result;
  }

  private RuntimeException timedOut(long limitNanos) {
    Duration limit = Duration.ofNanos(limitNanos);
    events.emit(() -> new TimeoutEvent.TimedOut(name, ticker.nanos(), limit));
    ExceptionContext context = new ExceptionContext(name, PatternType.TIMEOUT, FailureReason.TIMEOUT,
        Optional.empty(), Map.of("timeout", config.timeout(), "limit", limit));
    return config.exceptionHandling().onFailure(context, new TimeoutExceededException(name, limit));
  }

  private void succeeded(long start) {
    events.emit(() -> new TimeoutEvent.Succeeded(name, ticker.nanos(), Duration.ofNanos(ticker.nanos() - start)));
  }

  private void failed(long start, Throwable cause) {
    if (!config.exceptionHandling().handles(cause)) {
      succeeded(start);
      return;
    }
    events.emit(() -> new TimeoutEvent.Failed(name, ticker.nanos(), Duration.ofNanos(ticker.nanos() - start),
        cause));
  }

  @Override
  public String toString() {
    return "Timeout[" + name + ", " + config.timeout() + "]";
  }
}
