package dev.switchboard.resilience;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CircuitBreaker}: one atomic reference to the current {@link CircuitBreakerPhase}; CAS
 * moves it on.
 */
final class CircuitBreakerImpl implements CircuitBreaker {

  private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

  private final String name;
  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final EventPublisher<CircuitBreakerEvent> events;
  private final CircuitBreakerRecorder recorder;
  private final long maxHalfOpenNanos;
  private final AtomicReference<CircuitBreakerPhase> phase;
  private final LongAdder notPermitted = new LongAdder();

  CircuitBreakerImpl(String name, CircuitBreakerConfig config) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = config.ticker();
    this.events = new EventPublisher<>(config.eventBus());
    this.recorder = new CircuitBreakerRecorder(this, config);
    this.maxHalfOpenNanos = config.maxWaitInHalfOpenState().toNanos();
    this.phase =
        new AtomicReference<>(
            CircuitBreakerPhase.closed(CircuitState.CLOSED, config, ticker.nanos()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CircuitBreakerConfig config() {
    return config;
  }

  @Override
  public EventPublisher<CircuitBreakerEvent> events() {
    return events;
  }

  @Override
  public CircuitState state() {
    return current().state;
  }

  @Override
  public CircuitBreakerMetrics metrics() {
    return recorder.metrics(current(), ticker.nanos(), notPermitted.sum());
  }

  @Override
  public <T> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    CircuitBreakerPhase p = acquire();
    if (p == null) {
      throw refused();
    }
    long start = ticker.nanos();
    T result;
    try {
      result = callable.call();
    } catch (Throwable t) {
      recorder.thrown(p, start, ticker.nanos(), t);
      throw t;
    }
    recorder.returned(p, start, ticker.nanos(), result);
    return result;
  }

  @Override
  public <T> T get(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    CircuitBreakerPhase p = acquire();
    if (p == null) {
      throw refused();
    }
    long start = ticker.nanos();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable t) {
      recorder.thrown(p, start, ticker.nanos(), t);
      throw t;
    }
    recorder.returned(p, start, ticker.nanos(), result);
    return result;
  }

  @Override
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    CircuitBreakerPhase p = acquire();
    if (p == null) {
      throw refused();
    }
    long start = ticker.nanos();
    try {
      runnable.run();
    } catch (Throwable t) {
      recorder.thrown(p, start, ticker.nanos(), t);
      throw t;
    }
    recorder.returned(p, start, ticker.nanos(), null);
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    CircuitBreakerPhase p = acquire();
    if (p == null) {
      return CompletableFuture.failedFuture(refused());
    }
    long start = ticker.nanos();
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "the supplier's stage");
    } catch (Throwable t) {
      recorder.thrown(p, start, ticker.nanos(), t);
      if (t instanceof VirtualMachineError vme) {
        throw vme;
      }
      return CompletableFuture.failedFuture(t);
    }
    return ReleasingStage.of(
        stage,
        (result, error) -> {
          long end = ticker.nanos();
          if (error == null) {
            recorder.returned(p, start, end, result);
          } else {
            recorder.thrown(
                p,
                start,
                end,
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error);
          }
        });
  }

  @Override
  public boolean tryAcquirePermission() {
    return acquire() != null;
  }

  @Override
  public void releasePermission() {
    CircuitBreakerPhase p = phase.get();
    if (p.state == CircuitState.HALF_OPEN) {
      p.trialPermits.incrementAndGet();
    }
  }

  @Override
  public void onSuccess(long durationNanos) {
    long end = ticker.nanos();
    recorder.returned(phase.get(), end - durationNanos, end, null);
  }

  @Override
  public void onError(long durationNanos, Throwable error) {
    Objects.requireNonNull(error, "error");
    long end = ticker.nanos();
    recorder.thrown(phase.get(), end - durationNanos, end, error);
  }

  @Override
  public void reset() {
    long now = ticker.nanos();
    force(CircuitBreakerPhase.closed(CircuitState.CLOSED, config, now));
    if (events.isObserved()) {
      events.emit(() -> new CircuitBreakerEvent.Reset(name, now));
    }
  }

  @Override
  public void forceOpen() {
    force(CircuitBreakerPhase.closed(CircuitState.FORCED_OPEN, config, ticker.nanos()));
  }

  @Override
  public void disable() {
    force(CircuitBreakerPhase.closed(CircuitState.DISABLED, config, ticker.nanos()));
  }

  /**
   * The phase that admitted the call, or null when refused. Allocation-free when CLOSED or
   * DISABLED.
   */
  private CircuitBreakerPhase acquire() {
    CircuitBreakerPhase p = phase.get();
    if (p.state == CircuitState.CLOSED || p.state == CircuitState.DISABLED) {
      return p;
    }
    p = current();
    if (p.state == CircuitState.CLOSED
        || p.state == CircuitState.DISABLED
        || p.state == CircuitState.HALF_OPEN && p.takeTrialPermit()) {
      return p;
    }
    notPermitted.increment();
    if (events.isObserved()) {
      CircuitState state = p.state;
      long now = ticker.nanos();
      events.emit(() -> new CircuitBreakerEvent.NotPermitted(name, now, state));
    }
    return null;
  }

  /** The current phase after applying due time-based transitions. */
  private CircuitBreakerPhase current() {
    for (; ; ) {
      CircuitBreakerPhase p = phase.get();
      long now;
      if (p.state == CircuitState.OPEN && (now = ticker.nanos()) - p.enteredNanos >= p.openNanos) {
        transition(p, CircuitBreakerPhase.halfOpen(config.permittedCallsInHalfOpenState(), now));
      } else if (p.state == CircuitState.HALF_OPEN
          && (now = ticker.nanos()) - p.enteredNanos >= maxHalfOpenNanos) {
        if (transition(p, recorder.opened(p.window, now))) {
          log.warn(
              "circuit breaker '{}': trial calls did not report within {}",
              name,
              config.maxWaitInHalfOpenState());
        }
      } else {
        return p;
      }
    }
  }

  /**
   * Replaces {@code from} with {@code to} if {@code from} is still current; true if this call did
   * it.
   */
  boolean transition(CircuitBreakerPhase from, CircuitBreakerPhase to) {
    if (!phase.compareAndSet(from, to)) {
      return false;
    }
    published(from.state, to);
    return true;
  }

  private void force(CircuitBreakerPhase to) {
    CircuitBreakerPhase from = phase.getAndSet(to);
    if (from.state != to.state) {
      published(from.state, to);
    }
  }

  private void published(CircuitState from, CircuitBreakerPhase to) {
    log.info("circuit breaker '{}': {} -> {}", name, from, to.state);
    if (events.isObserved()) {
      events.emit(
          () -> new CircuitBreakerEvent.StateTransition(name, to.enteredNanos, from, to.state));
    }
  }

  private RuntimeException refused() {
    CircuitBreakerMetrics m = metrics();
    return config
        .exceptionHandling()
        .onFailure(
            recorder.context(FailureReason.CIRCUIT_OPEN, Optional.empty(), m),
            new CallNotPermittedException(name, m.state()));
  }
}
