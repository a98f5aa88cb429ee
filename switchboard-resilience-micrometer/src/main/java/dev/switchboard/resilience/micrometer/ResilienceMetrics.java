package dev.switchboard.resilience.micrometer;

import static java.util.Objects.requireNonNull;

import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.Backpressure;
import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.CircuitBreaker;
import dev.switchboard.resilience.Fallback;
import dev.switchboard.resilience.KeyedRateLimiter;
import dev.switchboard.resilience.LoadShedder;
import dev.switchboard.resilience.PatternType;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.ResilienceRegistry;
import dev.switchboard.resilience.Retry;
import dev.switchboard.resilience.Subscription;
import dev.switchboard.resilience.Timeout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Micrometer meters for resilience pattern instances: gauges read from each instance, counters and
 * timers fed by its events. Bind a whole {@link ResilienceRegistry} (every instance it holds now
 * and every one it creates later) or a single instance:
 *
 * <pre>{@code
 * ResilienceMetrics metrics = ResilienceMetrics.of(registry);
 * metrics.bindTo(meterRegistry);
 * // ...
 * metrics.close();    // stops counting and removes the meters
 * }</pre>
 *
 * <p>Meters are named {@code switchboard.resilience.<pattern>.<what>} and tagged {@code name} (the
 * instance) and, where it applies, {@code kind}, {@code state}, {@code level} or {@code priority};
 * docs/resilience-micrometer.md lists them all. Gauges hold their instance weakly: they never keep
 * an instance alive, and report NaN once it is collected. Binding subscribes to each instance's
 * events, so a bound instance builds its event objects (without a binder, an instance with no
 * listener builds none). Counters are created once per instance, never per event.
 *
 * <p>Thread-safe. Bind each instance once per {@link MeterRegistry}: two binders of one instance in
 * one meter registry share its meters and would count every event twice.
 */
public final class ResilienceMetrics implements MeterBinder, AutoCloseable {

  /**
   * Calls its argument with each entry to meter, now or later, until the returned subscription is
   * closed.
   */
  private final Function<Consumer<ResilienceRegistry.Entry>, Subscription> source;

  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}. */
  private final List<MeterBinding> bindings = new ArrayList<>();

  /** Guarded by {@link #lock}. */
  private boolean closed;

  private ResilienceMetrics(Function<Consumer<ResilienceRegistry.Entry>, Subscription> source) {
    this.source = source;
  }

  /**
   * Meters every instance {@code registry} holds when bound and every instance it creates
   * afterwards.
   */
  public static ResilienceMetrics of(ResilienceRegistry registry) {
    requireNonNull(registry, "registry");
    return new ResilienceMetrics(registry::onAdded);
  }

  /** Meters one circuit breaker. */
  public static ResilienceMetrics of(CircuitBreaker breaker) {
    return single(PatternType.CIRCUIT_BREAKER, requireNonNull(breaker, "breaker").name(), breaker);
  }

  /** Meters one retry. */
  public static ResilienceMetrics of(Retry retry) {
    return single(PatternType.RETRY, requireNonNull(retry, "retry").name(), retry);
  }

  /** Meters one timeout. */
  public static ResilienceMetrics of(Timeout timeout) {
    return single(PatternType.TIMEOUT, requireNonNull(timeout, "timeout").name(), timeout);
  }

  /** Meters one fallback. */
  public static ResilienceMetrics of(Fallback<?> fallback) {
    return single(PatternType.FALLBACK, requireNonNull(fallback, "fallback").name(), fallback);
  }

  /** Meters one bulkhead. */
  public static ResilienceMetrics of(Bulkhead bulkhead) {
    return single(PatternType.BULKHEAD, requireNonNull(bulkhead, "bulkhead").name(), bulkhead);
  }

  /** Meters one rate limiter. */
  public static ResilienceMetrics of(RateLimiter limiter) {
    return single(PatternType.RATE_LIMITER, requireNonNull(limiter, "limiter").name(), limiter);
  }

  /**
   * Meters one keyed rate limiter: the number of keys only (a meter per key would grow without
   * bound).
   */
  public static ResilienceMetrics of(KeyedRateLimiter<?> limiter) {
    return single(
        PatternType.KEYED_RATE_LIMITER, requireNonNull(limiter, "limiter").name(), limiter);
  }

  /** Meters one load shedder. */
  public static ResilienceMetrics of(LoadShedder shedder) {
    return single(PatternType.LOAD_SHEDDER, requireNonNull(shedder, "shedder").name(), shedder);
  }

  /** Meters one backpressure. */
  public static ResilienceMetrics of(Backpressure backpressure) {
    return single(
        PatternType.BACKPRESSURE,
        requireNonNull(backpressure, "backpressure").name(),
        backpressure);
  }

  /** Meters one adaptive limiter. */
  public static ResilienceMetrics of(AdaptiveLimiter limiter) {
    return single(PatternType.ADAPTIVE_LIMITER, requireNonNull(limiter, "limiter").name(), limiter);
  }

  /**
   * Registers the meters in {@code registry} and starts counting. May be called for several meter
   * registries.
   *
   * @throws IllegalStateException if this binder is closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    MeterBinding binding = new MeterBinding(registry);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(
            "this ResilienceMetrics is closed; create a new one to bind again");
      }
      bindings.add(binding);
    } finally {
      lock.unlock();
    }
    // Outside the lock: the source calls back into bind(...), perhaps on other threads too.
    Subscription added = source.apply(entry -> bind(binding, entry));
    lock.lock();
    try {
      if (closed) {
        added.close();
      } else {
        binding.keep(added);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops counting and removes every meter this binder registered, from every meter registry it was
   * bound to. Idempotent; a closed binder cannot be bound again.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      bindings.forEach(MeterBinding::close);
      bindings.clear();
    } finally {
      lock.unlock();
    }
  }

  private void bind(MeterBinding binding, ResilienceRegistry.Entry entry) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Object p = entry.pattern();
      // A switch expression, so that a new PatternType fails compilation here instead of going
      // unmetered.
      Runnable meter =
          switch (entry.type()) {
            case CIRCUIT_BREAKER -> () -> CallMeters.circuitBreaker((CircuitBreaker) p, binding);
            case RETRY -> () -> CallMeters.retry((Retry) p, binding);
            case TIMEOUT -> () -> CallMeters.timeout((Timeout) p, binding);
            case FALLBACK -> () -> CallMeters.fallback((Fallback<?>) p, binding);
            case BULKHEAD -> () -> AdmissionMeters.bulkhead((Bulkhead) p, binding);
            case RATE_LIMITER -> () -> AdmissionMeters.rateLimiter((RateLimiter) p, binding);
            case KEYED_RATE_LIMITER ->
                () -> AdmissionMeters.keyedRateLimiter((KeyedRateLimiter<?>) p, binding);
            case LOAD_SHEDDER -> () -> AdmissionMeters.loadShedder((LoadShedder) p, binding);
            case BACKPRESSURE -> () -> AdmissionMeters.backpressure((Backpressure) p, binding);
            case ADAPTIVE_LIMITER ->
                () -> AdmissionMeters.adaptiveLimiter((AdaptiveLimiter) p, binding);
          };
      meter.run();
    } finally {
      lock.unlock();
    }
  }

  private static ResilienceMetrics single(PatternType type, String name, Object pattern) {
    ResilienceRegistry.Entry entry = new ResilienceRegistry.Entry(type, name, pattern);
    return new ResilienceMetrics(
        consumer -> {
          consumer.accept(entry);
          return () -> {};
        });
  }
}
