package dev.switchboard.resilience;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Sheds calls by priority as load rises, so that important work keeps headroom. The level comes
 * from the calls in flight (see {@link LoadShedderConfig}) and, if configured, a sampled system
 * load, whichever is higher; a call runs when the level {@linkplain LoadLevel#admits admits} its
 * priority and fewer than {@code maxInFlight} run. With the defaults and {@code maxInFlight} 100:
 * LOW runs while fewer than 50 are in flight, NORMAL below 75, HIGH below 90, CRITICAL below 100.
 * Lock-free; thread-safe.
 */
public final class LoadShedder {

  private final String name;
  private final LoadShedderConfig config;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<LoadLevel> lastLevel = new AtomicReference<>(LoadLevel.NORMAL);
  private final LongAdder shed = new LongAdder();
  private final EventPublisher<LoadShedderEvent> events;
  private final int elevatedFrom;
  private final int highFrom;
  private final int criticalFrom;

  private LoadShedder(String name, LoadShedderConfig config) {
    this.name = name;
    this.config = config;
    this.events = new EventPublisher<>(config.eventBus());
    int max = config.maxInFlight();
    this.elevatedFrom = callsAt(max, config.elevatedAt());
    this.highFrom = callsAt(max, config.highAt());
    this.criticalFrom = callsAt(max, config.criticalAt());
  }

  /**
   * The calls in flight from which a share of {@code max} is reached (100 * 0.9 is 90, not
   * 90.00000000000001).
   */
  private static int callsAt(int max, double share) {
    return (int) Math.ceil(max * share - 1e-9);
  }

  public static LoadShedder of(String name, LoadShedderConfig config) {
    return new LoadShedder(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
  }

  /**
   * Admits one call of {@code priority} unless it is shed; an admitted call must {@link #release()}
   * once.
   */
  public boolean tryAcquire(CallPriority priority) {
    Objects.requireNonNull(priority, "priority");
    while (true) {
      int now = inFlight.get();
      LoadLevel level = levelAt(now);
      if (now >= config.maxInFlight() || !level.admits(priority)) {
        noteLevel(level);
        shed.increment();
        events.emit(
            () -> new LoadShedderEvent.Shed(name, config.ticker().nanos(), priority, level, now));
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        noteLevel(levelAt(now + 1));
        return true;
      }
    }
  }

  /** Ends one admitted call. */
  public void release() {
    int now = inFlight.decrementAndGet();
    if (now < 0) {
      inFlight.incrementAndGet();
      throw new IllegalStateException(name + ": release without a matching acquire");
    }
    noteLevel(levelAt(now));
  }

  /**
   * Runs {@code callable} at {@code priority} unless it is shed.
   *
   * @throws ShedException (or what the exception handling makes of it) when shed
   */
  public <T> T call(CallPriority priority, Callable<T> callable) throws Exception {
    if (!tryAcquire(priority)) {
      throw refusal(priority);
    }
    try {
      return callable.call();
    } finally {
      release();
    }
  }

  /** The asynchronous {@link #call}: the call counts as in flight until its stage completes. */
  public <T> CompletionStage<T> callAsync(
      CallPriority priority, Supplier<? extends CompletionStage<T>> call) {
    if (!tryAcquire(priority)) {
      return CompletableFuture.failedFuture(refusal(priority));
    }
    try {
      return ReleasingStage.of(call.get(), (result, failure) -> release());
    } catch (RuntimeException e) {
      release();
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The load level now. */
  public LoadLevel level() {
    return levelAt(inFlight.get());
  }

  private LoadLevel levelAt(int n) {
    LoadLevel own =
        n >= criticalFrom
            ? LoadLevel.CRITICAL
            : n >= highFrom
                ? LoadLevel.HIGH
                : n >= elevatedFrom ? LoadLevel.ELEVATED : LoadLevel.NORMAL;
    if (config.systemLoad().isEmpty()) {
      return own;
    }
    LoadLevel system = config.systemLoad().get().get();
    return system.compareTo(own) > 0 ? system : own;
  }

  private void noteLevel(LoadLevel level) {
    LoadLevel before = lastLevel.get();
    if (before != level && lastLevel.compareAndSet(before, level)) {
      events.emit(
          () -> new LoadShedderEvent.LevelChanged(name, config.ticker().nanos(), before, level));
    }
  }

  private RuntimeException refusal(CallPriority priority) {
    int now = inFlight.get();
    LoadLevel level = levelAt(now);
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.LOAD_SHEDDER,
            FailureReason.SHED,
            Optional.empty(),
            Map.of("priority", priority, "level", level, "inFlight", now));
    return config
        .exceptionHandling()
        .onFailure(
            context,
            new ShedException(
                name,
                name
                    + ": shed a "
                    + priority
                    + " call at load level "
                    + level
                    + " ("
                    + now
                    + " of "
                    + config.maxInFlight()
                    + " in flight)"));
  }

  public String name() {
    return name;
  }

  public LoadShedderConfig config() {
    return config;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Calls shed since creation. */
  public long shedCount() {
    return shed.sum();
  }

  public EventPublisher<LoadShedderEvent> events() {
    return events;
  }
}
