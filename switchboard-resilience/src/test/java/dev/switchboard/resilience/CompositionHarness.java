package dev.switchboard.resilience;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one scripted call through {@link Resilience#decorate} or {@link Resilience#decorateAsync}
 * for the {@code Composition*} tests, with every source of time and thread in the test's hands:
 *
 * <ul>
 *   <li>async timeouts fire only when {@link #run} finds the call stuck on a pending stage ({@link
 *       #timers});
 *   <li>async retries start their next attempt at once, on the thread that saw the failure ({@link
 *       #retries});
 *   <li>blocking timeouts run the work on threads that {@link #run} joins before it returns, so
 *       that whatever the abandoned work releases in its {@code finally} blocks is released when
 *       the test asserts.
 * </ul>
 *
 * Blocking timeouts still wait on the real clock ({@link Timeout} has no other), hence {@link
 * #TIMEOUT}: short, and only ever reached by an attempt that would otherwise never end.
 */
final class CompositionHarness implements AutoCloseable {

  enum Mode {
    BLOCKING,
    ASYNC
  }

  /**
   * Long enough for any attempt that is not scripted to hang, short enough to keep the tests fast.
   */
  static final Duration TIMEOUT = Duration.ofMillis(200);

  /** What one attempt of the protected call does. The last step of a script repeats. */
  sealed interface Step permits Succeed, Fail, Throw, Pending {}

  /** Returns (blocking) or completes its stage with (async) {@code value}. */
  record Succeed(String value) implements Step {}

  /** Throws (blocking) or fails its stage with (async) {@code failure}. */
  record Fail(Exception failure) implements Step {}

  /** Throws, also in async mode: the supplier throws instead of returning a stage. */
  record Throw(RuntimeException failure) implements Step {}

  /**
   * Never ends by itself: blocking, it waits until interrupted; async, it returns a stage that only
   * the test ({@link #pendingStages()}) or a cancellation completes.
   */
  record Pending() implements Step {}

  static Step succeed(String value) {
    return new Succeed(value);
  }

  static Step fail(String message) {
    return new Fail(new IOException(message));
  }

  static Step pending() {
    return new Pending();
  }

  final EventBus bus = new EventBus();
  final ManualTicker ticker = new ManualTicker();
  final ManualScheduler timers = new ManualScheduler();
  final ImmediateScheduler retries = new ImmediateScheduler();

  private final List<Thread> workers = new CopyOnWriteArrayList<>();
  private final Executor workerExecutor =
      task -> workers.add(Thread.ofVirtual().name("timeout-worker").start(task));
  private final AtomicInteger invocations = new AtomicInteger();
  private final AtomicInteger abandoned = new AtomicInteger();
  private final List<CompletableFuture<String>> pendingStages = new CopyOnWriteArrayList<>();
  private final List<Runnable> beforeEachAttempt = new CopyOnWriteArrayList<>();

  // Pattern factories wired to this harness: tests tune what they specify and leave the rest at
  // these values.

  RetryConfig.Builder retryConfig() {
    return RetryConfig.builder()
        .maxAttempts(3)
        .backoff(Backoff.constant(Duration.ZERO))
        .sleeper(d -> {})
        .scheduler(retries)
        .ticker(ticker)
        .eventBus(bus);
  }

  Retry retry() {
    return Retry.of("retry", retryConfig().build());
  }

  CircuitBreakerConfig.Builder breakerConfig() {
    return CircuitBreakerConfig.builder().ticker(ticker).eventBus(bus);
  }

  Timeout timeout() {
    return Timeout.of(
        "timeout",
        TimeoutConfig.builder()
            .timeout(TIMEOUT)
            .executor(workerExecutor)
            .scheduler(timers)
            .ticker(ticker)
            .eventBus(bus)
            .build());
  }

  BulkheadConfig.Builder bulkheadConfig() {
    return BulkheadConfig.builder().maxConcurrentCalls(2).ticker(ticker).eventBus(bus);
  }

  Bulkhead bulkhead() {
    return Bulkhead.of("bulkhead", bulkheadConfig().build());
  }

  AdaptiveLimiterConfig.Builder limiterConfig() {
    return AdaptiveLimiterConfig.builder()
        .initialLimit(10)
        .backoffRatio(0.5)
        .ticker(ticker)
        .eventBus(bus);
  }

  AdaptiveLimiter limiter() {
    return AdaptiveLimiter.of("limiter", limiterConfig().build());
  }

  BackpressureConfig.Builder backpressureConfig() {
    return BackpressureConfig.builder()
        .highWaterMark(10)
        .lowWaterMark(5)
        .ticker(ticker)
        .eventBus(bus);
  }

  Backpressure backpressure() {
    return Backpressure.of("backpressure", backpressureConfig().build());
  }

  /** A fallback answering "fallback" and remembering what it recovered from. */
  Fallback<String> fallback(List<Throwable> seen) {
    return Fallback.of(
        "fallback",
        FallbackConfig.<String>builder()
            .recover(
                failure -> {
                  seen.add(failure);
                  return "fallback";
                })
            .ticker(ticker)
            .eventBus(bus)
            .build());
  }

  /** Runs {@code action} at the start of every attempt, before the scripted step. */
  void beforeEachAttempt(Runnable action) {
    beforeEachAttempt.add(action);
  }

  /** Attempts that reached the call itself. */
  int invocations() {
    return invocations.get();
  }

  /**
   * {@link Pending} attempts that were ended from outside: interrupted (blocking) or cancelled
   * (async).
   */
  int abandonedAttempts() {
    return abandoned.get();
  }

  /** The stages handed out by async {@link Pending} attempts, in order. */
  List<CompletableFuture<String>> pendingStages() {
    return pendingStages;
  }

  /**
   * Runs the script through {@code patterns} (added in the given order) and returns the result or
   * the failure the caller saw. Async: fires due timeouts while the call waits on a pending stage.
   * Blocking: returns once the work of every timed-out attempt has ended.
   */
  Object run(Mode mode, List<Step> script, Object... patterns) throws InterruptedException {
    if (mode == Mode.BLOCKING) {
      try {
        return decorate(script, patterns).call();
      } catch (Exception e) {
        return e;
      } finally {
        joinWorkers();
      }
    }
    CompletableFuture<String> result = start(script, patterns).toCompletableFuture();
    while (!result.isDone() && timers.fireNext()) {
      // each fired timeout may start a retry that waits on a timeout of its own
    }
    if (!result.isDone()) {
      throw new AssertionError("the async call is still pending and no timeout is due");
    }
    return outcome(result);
  }

  /**
   * Starts the script through {@code patterns} as an async call and returns the caller's stage as
   * it is.
   */
  CompletionStage<String> start(List<Step> script, Object... patterns) {
    DecoratedAsyncCall<String> call = Resilience.decorateAsync(asyncAttempts(script));
    for (Object p : patterns) {
      add(call, p);
    }
    return call.callAsync();
  }

  DecoratedCall<String> decorate(List<Step> script, Object... patterns) {
    DecoratedCall<String> call = Resilience.decorate(blockingAttempts(script));
    for (Object p : patterns) {
      add(call, p);
    }
    return call;
  }

  /** The result of a completed stage, or the failure it completed with (unwrapped). */
  static Object outcome(CompletableFuture<String> done) {
    try {
      return done.getNow(null);
    } catch (CompletionException | CancellationException e) {
      return e instanceof CompletionException ? e.getCause() : e;
    }
  }

  private Step next(List<Step> script) {
    beforeEachAttempt.forEach(Runnable::run);
    int attempt = invocations.incrementAndGet();
    return script.get(Math.min(attempt, script.size()) - 1);
  }

  private Callable<String> blockingAttempts(List<Step> script) {
    return () ->
        switch (next(script)) {
          case Succeed s -> s.value();
          case Fail f -> throw f.failure();
          case Throw t -> throw t.failure();
          case Pending p -> {
            try {
              new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              abandoned.incrementAndGet();
              throw e;
            }
            throw new AssertionError("a pending attempt was never interrupted");
          }
        };
  }

  private Supplier<CompletionStage<String>> asyncAttempts(List<Step> script) {
    return () ->
        switch (next(script)) {
          case Succeed s -> CompletableFuture.completedFuture(s.value());
          case Fail f -> CompletableFuture.failedFuture(f.failure());
          case Throw t -> throw t.failure();
          case Pending p -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            stage.whenComplete(
                (value, failure) -> {
                  if (failure instanceof CancellationException) {
                    abandoned.incrementAndGet();
                  }
                });
            pendingStages.add(stage);
            yield stage;
          }
        };
  }

  private void joinWorkers() throws InterruptedException {
    for (Thread worker : workers) {
      if (!worker.join(Duration.ofSeconds(5))) {
        throw new AssertionError("timed-out work did not end within 5 s: " + worker);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(DecoratedCall<String> call, Object pattern) {
    switch (pattern) {
      case Fallback<?> f -> call.withFallback((Fallback<String>) f);
      case LoadShedder ls -> call.withLoadShedder(ls, CallPriority.NORMAL);
      case Backpressure bp -> call.withBackpressure(bp);
      case Retry r -> call.withRetry(r);
      case CircuitBreaker cb -> call.withCircuitBreaker(cb);
      case RateLimiter rl -> call.withRateLimiter(rl);
      case Timeout t -> call.withTimeout(t);
      case Bulkhead b -> call.withBulkhead(b);
      case AdaptiveLimiter al -> call.withAdaptiveLimiter(al);
      default -> throw new IllegalArgumentException(pattern.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(DecoratedAsyncCall<String> call, Object pattern) {
    switch (pattern) {
      case Fallback<?> f -> call.withFallback((Fallback<String>) f);
      case LoadShedder ls -> call.withLoadShedder(ls, CallPriority.NORMAL);
      case Backpressure bp -> call.withBackpressure(bp);
      case Retry r -> call.withRetry(r);
      case CircuitBreaker cb -> call.withCircuitBreaker(cb);
      case RateLimiter rl -> call.withRateLimiter(rl);
      case Timeout t -> call.withTimeout(t);
      case Bulkhead b -> call.withBulkhead(b);
      case AdaptiveLimiter al -> call.withAdaptiveLimiter(al);
      default -> throw new IllegalArgumentException(pattern.toString());
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    retries.shutdownNow();
  }

  /**
   * Holds scheduled tasks until {@link #fireNext()}; a task whose future was cancelled never fires.
   */
  static final class ManualScheduler extends ScheduledThreadPoolExecutor {
    private record Scheduled(Runnable task, ScheduledFuture<?> future) {}

    private final List<Scheduled> scheduled = new ArrayList<>();
    private int fired;

    ManualScheduler() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      ScheduledFuture<?> placeholder = super.schedule(() -> {}, 1, TimeUnit.DAYS);
      scheduled.add(new Scheduled(command, placeholder));
      return placeholder;
    }

    /**
     * Runs the earliest scheduled task still wanted, on the calling thread; false if there is none.
     */
    boolean fireNext() {
      Scheduled next;
      synchronized (this) {
        scheduled.removeIf(s -> s.future().isCancelled());
        if (scheduled.isEmpty()) {
          return false;
        }
        next = scheduled.removeFirst();
        next.future().cancel(false);
        fired++;
      }
      next.task().run();
      return true;
    }

    /** Tasks scheduled and neither fired nor cancelled. */
    synchronized int pending() {
      scheduled.removeIf(s -> s.future().isCancelled());
      return scheduled.size();
    }

    synchronized int fired() {
      return fired;
    }
  }

  /** Runs every scheduled task at once on the scheduling thread, whatever its delay. */
  static final class ImmediateScheduler extends ScheduledThreadPoolExecutor {
    ImmediateScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      command.run();
      return super.schedule(() -> {}, 0, TimeUnit.NANOSECONDS);
    }
  }
}
