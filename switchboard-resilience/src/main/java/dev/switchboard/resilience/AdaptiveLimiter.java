package dev.switchboard.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A concurrency limit that finds its own level (AIMD): calls beyond the limit are refused at once;
 * a success that found the limit at least half used raises it by one, a failure (a handled
 * exception, a timeout) multiplies it by the backoff ratio. Unlike a plain counter of successes it
 * does not grow while idle: a limit that is not used is not evidence that more would work.
 * Lock-free; thread-safe.
 */
public final class AdaptiveLimiter {

  private static final int REFUSED = -1;

  private final String name;
  private final AdaptiveLimiterConfig config;
  private final AtomicInteger limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder rejected = new LongAdder();
  private final EventPublisher<AdaptiveLimiterEvent> events;

  private AdaptiveLimiter(String name, AdaptiveLimiterConfig config) {
    this.name = name;
    this.config = config;
    this.limit = new AtomicInteger(config.initialLimit());
    this.events = new EventPublisher<>(config.eventBus());
  }

  public static AdaptiveLimiter of(String name, AdaptiveLimiterConfig config) {
    return new AdaptiveLimiter(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
  }

  /** One admitted call: report how it ended exactly once. */
  public final class Permit {
    private static final VarHandle DONE = doneHandle();
    private final int inFlightAtStart;

    @SuppressWarnings("unused") // through DONE: reported once, whichever thread reports
    private volatile boolean done;

    private Permit(int inFlightAtStart) {
      this.inFlightAtStart = inFlightAtStart;
    }

    /** The call succeeded: the limit may grow. */
    public void success() {
      if (once()) {
        succeeded(inFlightAtStart);
      }
    }

    /** The call failed or timed out: the limit shrinks. */
    public void failure() {
      if (once()) {
        failed();
      }
    }

    /**
     * The call ended in a way that says nothing about capacity (for example, cancelled by its
     * caller).
     */
    public void ignore() {
      if (once()) {
        inFlight.decrementAndGet();
      }
    }

    private boolean once() {
      return DONE.compareAndSet(this, false, true);
    }

    private static VarHandle doneHandle() {
      try {
        return MethodHandles.lookup().findVarHandle(Permit.class, "done", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * A permit if a call fits under the limit now; empty (and counted as rejected) otherwise. Never
   * waits.
   */
  public Optional<Permit> tryAcquire() {
    int admitted = admit();
    return admitted == REFUSED ? Optional.empty() : Optional.of(new Permit(admitted));
  }

  /**
   * Takes a place under the limit: the calls in flight with this one, or {@link #REFUSED}
   * (counted).
   */
  private int admit() {
    while (true) {
      int now = inFlight.get();
      int max = limit.get();
      if (now >= max) {
        rejected.increment();
        events.emit(
            () -> new AdaptiveLimiterEvent.Rejected(name, config.ticker().nanos(), max, now));
        return REFUSED;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return now + 1;
      }
    }
  }

  /**
   * Runs {@code callable} if it fits, reporting its outcome.
   *
   * @throws LimitExceededException (or what the exception handling makes of it) when the limit is
   *     full
   */
  public <T> T call(Callable<T> callable) throws Exception {
    // No Permit object here: the call reports exactly once by construction, so the blocking path
    // allocates nothing.
    int admitted = admit();
    if (admitted == REFUSED) {
      throw refusal();
    }
    try {
      T result = callable.call();
      succeeded(admitted);
      return result;
    } catch (Exception e) {
      if (config.exceptionHandling().handles(e)) {
        failed();
      } else {
        succeeded(admitted);
      }
      throw e;
    } catch (Error e) {
      inFlight.decrementAndGet();
      throw e;
    }
  }

  /** The asynchronous {@link #call}: the permit is held until the stage completes. */
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    Optional<Permit> acquired = tryAcquire();
    if (acquired.isEmpty()) {
      return CompletableFuture.failedFuture(refusal());
    }
    Permit permit = acquired.get();
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      outcome(permit, e);
      return CompletableFuture.failedFuture(e);
    }
    return ReleasingStage.of(
        stage,
        (result, failure) -> {
          if (failure == null) {
            permit.success();
          } else {
            outcome(
                permit,
                failure instanceof CompletionException c && c.getCause() != null
                    ? c.getCause()
                    : failure);
          }
        });
  }

  private void outcome(Permit permit, Throwable failure) {
    if (config.exceptionHandling().handles(failure)) {
      permit.failure();
    } else {
      permit.success();
    }
  }

  private RuntimeException refusal() {
    int max = limit.get();
    int now = inFlight.get();
    String message = name + ": concurrency limit " + max + " reached (" + now + " calls in flight)";
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.ADAPTIVE_LIMITER,
            FailureReason.LIMIT_EXCEEDED,
            Optional.empty(),
            Map.of("limit", max, "inFlight", now));
    return config
        .exceptionHandling()
        .onFailure(
            context, new LimitExceededException(name, PatternType.ADAPTIVE_LIMITER, message));
  }

  private void succeeded(int inFlightAtStart) {
    inFlight.decrementAndGet();
    grow(inFlightAtStart);
  }

  private void failed() {
    inFlight.decrementAndGet();
    shrink();
  }

  private void grow(int inFlightAtStart) {
    while (true) {
      int from = limit.get();
      // Only a limit that was at least half used is evidence that more would be used.
      if (inFlightAtStart * 2 < from || from >= config.maxLimit()) {
        return;
      }
      if (limit.compareAndSet(from, from + 1)) {
        events.emit(
            () ->
                new AdaptiveLimiterEvent.LimitChanged(
                    name, config.ticker().nanos(), from, from + 1));
        return;
      }
    }
  }

  private void shrink() {
    while (true) {
      int from = limit.get();
      int to = Math.max(config.minLimit(), (int) (from * config.backoffRatio()));
      if (to == from) {
        return;
      }
      if (limit.compareAndSet(from, to)) {
        events.emit(
            () -> new AdaptiveLimiterEvent.LimitChanged(name, config.ticker().nanos(), from, to));
        return;
      }
    }
  }

  public String name() {
    return name;
  }

  public AdaptiveLimiterConfig config() {
    return config;
  }

  /** The current limit. */
  public int limit() {
    return limit.get();
  }

  /** Calls admitted and not yet reported. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Calls refused since creation. */
  public long rejected() {
    return rejected.sum();
  }

  public EventPublisher<AdaptiveLimiterEvent> events() {
    return events;
  }
}
