package dev.switchboard.resilience;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs at most {@code maxConcurrentCalls} calls at once. A blocking caller beyond that waits, if
 * one of {@code maxWaitingCalls} waiting slots is free, up to {@code maxWait} (measured with the
 * config's ticker); else it is refused with {@link BulkheadFullException}. An async call never
 * waits: it takes a free permit or is refused, and holds its permit until its {@link
 * CompletionStage} completes.
 *
 * <p>Thread-safe. Taking and returning a free permit is one compare-and-set; waiters park on a
 * {@link ReentrantLock}'s condition, never on a monitor, so virtual threads do not pin. Waiters are
 * not served in arrival order: a newcomer may take a permit that was just returned.
 */
public final class Bulkhead {

  /**
   * With an injected ticker, a waiter re-reads it this often instead of sleeping its whole wait.
   */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final String name;
  private final BulkheadConfig config;
  private final EventPublisher<BulkheadEvent> events;
  private final Ticker ticker;
  private final long maxWaitNanos;
  private final AtomicInteger available;
  private final AtomicInteger waiting = new AtomicInteger();

  /** Guards nothing but the wait/signal handshake on {@link #released}. */
  private final ReentrantLock lock = new ReentrantLock();

  private final Condition released = lock.newCondition();

  private Bulkhead(String name, BulkheadConfig config) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.events = new EventPublisher<>(config.eventBus());
    this.ticker = config.ticker();
    long wait;
    try {
      wait = config.maxWait().toNanos();
    } catch (ArithmeticException e) {
      wait = Long.MAX_VALUE;
    }
    this.maxWaitNanos = wait;
    this.available = new AtomicInteger(config.maxConcurrentCalls());
  }

  public static Bulkhead of(String name, BulkheadConfig config) {
    return new Bulkhead(name, config);
  }

  public String name() {
    return name;
  }

  public BulkheadConfig config() {
    return config;
  }

  public EventPublisher<BulkheadEvent> events() {
    return events;
  }

  /** Permits free now. */
  public int availablePermits() {
    return available.get();
  }

  /** Callers waiting for a permit now. */
  public int waitingCallers() {
    return waiting.get();
  }

  /**
   * Runs {@code callable} holding a permit, waiting for one as configured.
   *
   * @throws BulkheadFullException (or the configured transformer's exception) if no permit was had
   * @throws InterruptedException if interrupted while waiting; anything {@code callable} throws
   *     passes through
   */
  public <T> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    if (!acquire()) {
      throw refused();
    }
    try {
      return callable.call();
    } finally {
      release();
    }
  }

  /**
   * Starts {@code call} holding a permit if one is free now (never waits, never blocks), and
   * returns the permit when the stage completes. The stage fails with {@link BulkheadFullException}
   * if the bulkhead is full.
   */
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    Objects.requireNonNull(call, "call");
    if (!tryAcquire()) {
      return CompletableFuture.failedFuture(refused());
    }
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(call.get(), "call returned null");
    } catch (RuntimeException | Error e) {
      release();
      return CompletableFuture.failedFuture(e);
    }
    return ReleasingStage.of(stage, (value, failure) -> release());
  }

  /** Takes a permit if one is free now; never waits. Pair a true result with {@link #release()}. */
  public boolean tryAcquire() {
    if (takeFree()) {
      permitted();
      return true;
    }
    rejected();
    return false;
  }

  /**
   * Takes a permit, waiting as configured. Pair a true result with {@link #release()}.
   *
   * @return false if refused: full, and no waiting slot or the wait ran out
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean acquire() throws InterruptedException {
    if (takeFree()) {
      permitted();
      return true;
    }
    if (maxWaitNanos == 0 || waiting.incrementAndGet() > config.maxWaitingCalls()) {
      if (maxWaitNanos != 0) {
        waiting.decrementAndGet();
      }
      rejected();
      return false;
    }
    try {
      if (awaitPermit()) {
        permitted();
        return true;
      }
    } finally {
      waiting.decrementAndGet();
    }
    rejected();
    return false;
  }

  /** Returns a permit taken by {@link #tryAcquire()} or {@link #acquire()}; wakes a waiter. */
  public void release() {
    int now = available.incrementAndGet();
    if (now > config.maxConcurrentCalls()) {
      available.decrementAndGet();
      throw new IllegalStateException("bulkhead '" + name + "': release without a permit");
    }
    // The waiter counts itself before checking for a free permit under the lock, so this cannot
    // miss it.
    if (waiting.get() > 0) {
      lock.lock();
      try {
        released.signal();
      } finally {
        lock.unlock();
      }
    }
    if (events.isObserved()) {
      long at = ticker.nanos();
      events.emit(() -> new BulkheadEvent.Finished(name, at));
    }
  }

  private boolean awaitPermit() throws InterruptedException {
    long deadline = ticker.nanos() + maxWaitNanos;
    lock.lockInterruptibly();
    try {
      while (!takeFree()) {
        long left = deadline - ticker.nanos();
        if (left <= 0) {
          return false;
        }
        try {
          released.awaitNanos(ticker == Ticker.SYSTEM ? left : Math.min(left, POLL_NANOS));
        } catch (InterruptedException e) {
          released.signal(); // a signal meant for us must not be lost with us
          throw e;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean takeFree() {
    for (int free = available.get(); free > 0; free = available.get()) {
      if (available.compareAndSet(free, free - 1)) {
        return true;
      }
    }
    return false;
  }

  private void permitted() {
    if (events.isObserved()) {
      long at = ticker.nanos();
      events.emit(() -> new BulkheadEvent.Permitted(name, at));
    }
  }

  private void rejected() {
    if (events.isObserved()) {
      long at = ticker.nanos();
      events.emit(() -> new BulkheadEvent.Rejected(name, at));
    }
  }

  private RuntimeException refused() {
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.BULKHEAD,
            FailureReason.LIMIT_EXCEEDED,
            Optional.empty(),
            Map.of(
                "maxConcurrentCalls",
                config.maxConcurrentCalls(),
                "waitingCallers",
                waiting.get(),
                "availablePermits",
                available.get()));
    return config
        .exceptionHandling()
        .onFailure(context, new BulkheadFullException(name, config.maxConcurrentCalls()));
  }
}
