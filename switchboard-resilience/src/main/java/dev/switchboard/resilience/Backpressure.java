package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Pushes back on producers by the number of items in flight, with hysteresis: pressure turns on
 * when the level reaches the high water mark and stays on until it falls to the low water mark, so
 * that a level hovering at the limit does not flap. While pressure is on, {@link #tryAcquire()}
 * refuses and {@link #acquire(Duration)} waits. State changes are published ({@link
 * BackpressureEvent.StateChanged}). Thread-safe; waiting uses a {@link ReentrantLock} condition, so
 * virtual threads are not pinned.
 */
public final class Backpressure {

  private final String name;
  private final BackpressureConfig config;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition eased = lock.newCondition();
  private final EventPublisher<BackpressureEvent> events;

  /** Guarded by {@code lock}. */
  private int level;

  /** Written under {@code lock}; read without it for {@link #isPressured()}. */
  private volatile boolean pressured;

  private Backpressure(String name, BackpressureConfig config) {
    this.name = name;
    this.config = config;
    this.events = new EventPublisher<>(config.eventBus());
  }

  public static Backpressure of(String name, BackpressureConfig config) {
    return new Backpressure(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
  }

  /** Takes one item's place unless pressure is on. Never waits. */
  public boolean tryAcquire() {
    if (admit()) {
      return true;
    }
    rejected();
    return false;
  }

  /**
   * Takes one item's place, waiting up to {@code timeout} for pressure to ease.
   *
   * @return false when pressure was still on after the wait
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean acquire(Duration timeout) throws InterruptedException {
    long nanos = Check.notNegative("timeout", timeout).toNanos();
    if (!admit() && (nanos == 0 || !awaitAndAdmit(nanos))) {
      rejected();
      return false;
    }
    return true;
  }

  /** Gives back one item's place; pressure turns off once the level is at the low water mark. */
  public void release() {
    boolean turnedOff = false;
    int now;
    lock.lock();
    try {
      if (level == 0) {
        throw new IllegalStateException(name + ": release without a matching acquire");
      }
      now = --level;
      if (pressured && level <= config.lowWaterMark()) {
        pressured = false;
        turnedOff = true;
        eased.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (turnedOff) {
      events.emit(
          () -> new BackpressureEvent.StateChanged(name, config.ticker().nanos(), false, now));
    }
  }

  /**
   * Runs {@code callable} holding one place, waiting up to {@link BackpressureConfig#maxWait()} for
   * it.
   *
   * @throws BackpressureException (or what the exception handling makes of it) when no place came
   *     free
   */
  public <T> T call(Callable<T> callable) throws Exception {
    if (!acquire(config.maxWait())) {
      throw refusal();
    }
    try {
      return callable.call();
    } finally {
      release();
    }
  }

  /**
   * The asynchronous {@link #call}: never waits (refuses at once under pressure); holds the place
   * until done.
   */
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    if (!tryAcquire()) {
      return CompletableFuture.failedFuture(refusal());
    }
    try {
      return ReleasingStage.of(call.get(), (result, failure) -> release());
    } catch (RuntimeException e) {
      release();
      return CompletableFuture.failedFuture(e);
    }
  }

  private void rejected() {
    int now = level();
    events.emit(() -> new BackpressureEvent.Rejected(name, config.ticker().nanos(), now));
  }

  private boolean admit() {
    boolean turnedOn = false;
    int now;
    lock.lock();
    try {
      if (pressured) {
        return false;
      }
      now = ++level;
      if (level >= config.highWaterMark()) {
        pressured = true;
        turnedOn = true;
      }
    } finally {
      lock.unlock();
    }
    if (turnedOn) {
      events.emit(
          () -> new BackpressureEvent.StateChanged(name, config.ticker().nanos(), true, now));
    }
    return true;
  }

  private boolean awaitAndAdmit(long nanos) throws InterruptedException {
    long left = nanos;
    while (true) {
      lock.lock();
      try {
        while (pressured) {
          if (left <= 0) {
            return false;
          }
          left = eased.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
      if (admit()) {
        return true;
      }
    }
  }

  private RuntimeException refusal() {
    int now = level();
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.BACKPRESSURE,
            FailureReason.BACKPRESSURE,
            Optional.empty(),
            Map.of("level", now, "highWaterMark", config.highWaterMark()));
    return config
        .exceptionHandling()
        .onFailure(
            context,
            new BackpressureException(
                name,
                name
                    + ": backpressure on ("
                    + now
                    + " in flight, high water mark "
                    + config.highWaterMark()
                    + ")"));
  }

  public String name() {
    return name;
  }

  public BackpressureConfig config() {
    return config;
  }

  /** Items in flight now. */
  public int level() {
    lock.lock();
    try {
      return level;
    } finally {
      lock.unlock();
    }
  }

  public boolean isPressured() {
    return pressured;
  }

  public EventPublisher<BackpressureEvent> events() {
    return events;
  }
}
