package dev.switchboard.resilience;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pattern instances by name, one namespace per {@link PatternType}, created on first use.
 * Thread-safe: concurrent first uses of a name create exactly one instance. A name asked for again
 * returns the existing instance; the config passed then is ignored (the first use wins).
 *
 * <p>{@link #onAdded} tells a listener (a metrics binder, a dashboard) about every instance, those
 * held now and those created later, each exactly once.
 *
 * <pre>{@code
 * ResilienceRegistry registry = ResilienceRegistry.builder().circuitBreakerDefaults(cbConfig).build();
 * CircuitBreaker payments = registry.circuitBreaker("payments");        // from cbConfig
 * Retry push = registry.retry("push", RetryConfig.builder().maxAttempts(5).build());
 * }</pre>
 */
public final class ResilienceRegistry {

  /**
   * One registered instance. {@code pattern} is the instance itself, of the class {@code type}
   * names: a {@link CircuitBreaker}, {@link Retry}, {@link Timeout}, {@link Fallback}, {@link
   * Bulkhead}, {@link RateLimiter}, {@link LoadShedder}, {@link Backpressure}, {@link
   * AdaptiveLimiter} or {@link KeyedRateLimiter}.
   */
  public record Entry(PatternType type, String name, Object pattern) {
    public Entry {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(pattern, "pattern");
    }
  }

  private record Key(PatternType type, String name) {}

  private static final Logger log = LoggerFactory.getLogger(ResilienceRegistry.class);

  private static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::type).thenComparing(Entry::name);

  private final ConcurrentMap<Key, Object> instances = new ConcurrentHashMap<>();

  /**
   * Makes "insert an instance and read the listeners" atomic with "add a listener and read the
   * instances", so that each listener sees each instance exactly once. Held only for map and array
   * updates, never while a listener runs.
   */
  private final ReentrantLock lock = new ReentrantLock();

  /** Copy-on-write under {@link #lock}. */
  private volatile Consumer<? super Entry>[] listeners = newListeners(0);

  private final Builder defaults;

  private ResilienceRegistry(Builder b) {
    this.defaults = b.copy();
  }

  /** A registry creating instances from each pattern's {@code defaults()} config. */
  public static ResilienceRegistry ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public CircuitBreaker circuitBreaker(String name) {
    return circuitBreaker(name, defaults.circuitBreaker);
  }

  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    return get(
        PatternType.CIRCUIT_BREAKER,
        name,
        config,
        n -> CircuitBreaker.of(n, config),
        CircuitBreaker.class);
  }

  public Retry retry(String name) {
    return retry(name, defaults.retry);
  }

  public Retry retry(String name, RetryConfig config) {
    return get(PatternType.RETRY, name, config, n -> Retry.of(n, config), Retry.class);
  }

  public Timeout timeout(String name) {
    return timeout(name, defaults.timeout);
  }

  public Timeout timeout(String name, TimeoutConfig config) {
    return get(PatternType.TIMEOUT, name, config, n -> Timeout.of(n, config), Timeout.class);
  }

  public Bulkhead bulkhead(String name) {
    return bulkhead(name, defaults.bulkhead);
  }

  public Bulkhead bulkhead(String name, BulkheadConfig config) {
    return get(PatternType.BULKHEAD, name, config, n -> Bulkhead.of(n, config), Bulkhead.class);
  }

  public RateLimiter rateLimiter(String name) {
    return rateLimiter(name, defaults.rateLimiter);
  }

  public RateLimiter rateLimiter(String name, RateLimiterConfig config) {
    return get(
        PatternType.RATE_LIMITER, name, config, n -> RateLimiter.of(n, config), RateLimiter.class);
  }

  public LoadShedder loadShedder(String name) {
    return loadShedder(name, defaults.loadShedder);
  }

  public LoadShedder loadShedder(String name, LoadShedderConfig config) {
    return get(
        PatternType.LOAD_SHEDDER, name, config, n -> LoadShedder.of(n, config), LoadShedder.class);
  }

  public Backpressure backpressure(String name) {
    return backpressure(name, defaults.backpressure);
  }

  public Backpressure backpressure(String name, BackpressureConfig config) {
    return get(
        PatternType.BACKPRESSURE,
        name,
        config,
        n -> Backpressure.of(n, config),
        Backpressure.class);
  }

  /**
   * The fallback named {@code name}, created from {@code config} on first use. There is no default
   * config (a fallback needs its steps), so there is no one-argument getter. A name serves one
   * result type: Java cannot check {@code T} at run time, so asking for a name again with another
   * type fails later, with a {@link ClassCastException} where the result is used.
   */
  public <T> Fallback<T> fallback(String name, FallbackConfig<T> config) {
    return get(PatternType.FALLBACK, name, config, n -> Fallback.of(n, config), Fallback.class);
  }

  public AdaptiveLimiter adaptiveLimiter(String name) {
    return adaptiveLimiter(name, defaults.adaptiveLimiter);
  }

  public AdaptiveLimiter adaptiveLimiter(String name, AdaptiveLimiterConfig config) {
    return get(
        PatternType.ADAPTIVE_LIMITER,
        name,
        config,
        n -> AdaptiveLimiter.of(n, config),
        AdaptiveLimiter.class);
  }

  /**
   * The keyed rate limiter named {@code name}; see {@link #keyedRateLimiter(String,
   * KeyedRateLimiterConfig)}.
   */
  public <K> KeyedRateLimiter<K> keyedRateLimiter(String name) {
    return keyedRateLimiter(name, defaults.keyedRateLimiter);
  }

  /**
   * The keyed rate limiter named {@code name}, in its own namespace ({@link
   * PatternType#KEYED_RATE_LIMITER}), so it may share a name with a plain {@link RateLimiter}. A
   * name serves one key type (not checked, see {@link #fallback}).
   */
  public <K> KeyedRateLimiter<K> keyedRateLimiter(String name, KeyedRateLimiterConfig config) {
    return get(
        PatternType.KEYED_RATE_LIMITER,
        name,
        config,
        n -> KeyedRateLimiter.<K>of(n, config),
        KeyedRateLimiter.class);
  }

  /** Every instance created so far, sorted by type then name. */
  public List<Entry> all() {
    return instances.entrySet().stream()
        .map(e -> new Entry(e.getKey().type(), e.getKey().name(), e.getValue()))
        .sorted(ORDER)
        .toList();
  }

  /**
   * Calls {@code listener} once with every instance held now (sorted like {@link #all()}) and then
   * once with each instance created later, on the thread that created it, before that creation
   * returns to its caller. An instance created while this method runs is seen exactly once, either
   * way. The listener may be called from several threads at once and must be thread-safe; if it
   * throws, the failure is logged and ignored. After the returned subscription is closed no new
   * call starts, though a creation already under way may still finish its call.
   */
  public Subscription onAdded(Consumer<? super Entry> listener) {
    Objects.requireNonNull(listener, "listener");
    Consumer<Entry> registration =
        listener::accept; // its own identity, so a listener added twice is removed once
    List<Entry> present;
    lock.lock();
    try {
      Consumer<? super Entry>[] grown = Arrays.copyOf(listeners, listeners.length + 1);
      grown[listeners.length] = registration;
      listeners = grown;
      present = all();
    } finally {
      lock.unlock();
    }
    for (Entry entry : present) {
      tell(listener, entry);
    }
    return () -> removeListener(registration);
  }

  private void removeListener(Consumer<? super Entry> listener) {
    lock.lock();
    try {
      listeners =
          Arrays.stream(listeners)
              .filter(l -> l != listener)
              .toArray(ResilienceRegistry::newListeners);
    } finally {
      lock.unlock();
    }
  }

  private <P> P get(
      PatternType type, String name, Object config, Function<String, P> create, Class<?> kind) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Key key = new Key(type, name);
    Object existing = instances.get(key);
    if (existing != null) {
      return cast(existing, kind);
    }
    P created;
    Consumer<? super Entry>[] toTell;
    lock.lock();
    try {
      existing = instances.get(key);
      if (existing != null) {
        return cast(existing, kind);
      }
      created = create.apply(name);
      instances.put(key, created);
      toTell = listeners;
    } finally {
      lock.unlock();
    }
    Entry entry = new Entry(type, name, created);
    for (Consumer<? super Entry> listener : toTell) {
      tell(listener, entry);
    }
    return created;
  }

  private static void tell(Consumer<? super Entry> listener, Entry entry) {
    try {
      listener.accept(entry);
    } catch (RuntimeException e) {
      log.warn("a registry listener threw on {} '{}'; ignored", entry.type(), entry.name(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <P> P cast(Object instance, Class<?> kind) {
    return (P) kind.cast(instance);
  }

  @SuppressWarnings("unchecked")
  private static Consumer<? super Entry>[] newListeners(int size) {
    return (Consumer<? super Entry>[]) new Consumer<?>[size];
  }

  /**
   * Default configs used by the one-argument getters; each starts as that pattern's {@code
   * defaults()}. Fallback has none: its config holds the fallback steps, which only the caller
   * knows.
   */
  public static final class Builder {
    private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.defaults();
    private RetryConfig retry = RetryConfig.defaults();
    private TimeoutConfig timeout = TimeoutConfig.defaults();
    private BulkheadConfig bulkhead = BulkheadConfig.defaults();
    private RateLimiterConfig rateLimiter = RateLimiterConfig.defaults();
    private LoadShedderConfig loadShedder = LoadShedderConfig.defaults();
    private BackpressureConfig backpressure = BackpressureConfig.defaults();
    private AdaptiveLimiterConfig adaptiveLimiter = AdaptiveLimiterConfig.defaults();
    private KeyedRateLimiterConfig keyedRateLimiter = KeyedRateLimiterConfig.defaults();

    private Builder() {}

    public Builder circuitBreakerDefaults(CircuitBreakerConfig value) {
      circuitBreaker = Objects.requireNonNull(value, "circuitBreakerDefaults");
      return this;
    }

    public Builder retryDefaults(RetryConfig value) {
      retry = Objects.requireNonNull(value, "retryDefaults");
      return this;
    }

    public Builder timeoutDefaults(TimeoutConfig value) {
      timeout = Objects.requireNonNull(value, "timeoutDefaults");
      return this;
    }

    public Builder bulkheadDefaults(BulkheadConfig value) {
      bulkhead = Objects.requireNonNull(value, "bulkheadDefaults");
      return this;
    }

    public Builder rateLimiterDefaults(RateLimiterConfig value) {
      rateLimiter = Objects.requireNonNull(value, "rateLimiterDefaults");
      return this;
    }

    public Builder loadShedderDefaults(LoadShedderConfig value) {
      loadShedder = Objects.requireNonNull(value, "loadShedderDefaults");
      return this;
    }

    public Builder backpressureDefaults(BackpressureConfig value) {
      backpressure = Objects.requireNonNull(value, "backpressureDefaults");
      return this;
    }

    public Builder adaptiveLimiterDefaults(AdaptiveLimiterConfig value) {
      adaptiveLimiter = Objects.requireNonNull(value, "adaptiveLimiterDefaults");
      return this;
    }

    public Builder keyedRateLimiterDefaults(KeyedRateLimiterConfig value) {
      keyedRateLimiter = Objects.requireNonNull(value, "keyedRateLimiterDefaults");
      return this;
    }

    public ResilienceRegistry build() {
      return new ResilienceRegistry(this);
    }

    private Builder copy() {
      Builder c = new Builder();
      c.circuitBreaker = circuitBreaker;
      c.retry = retry;
      c.timeout = timeout;
      c.bulkhead = bulkhead;
      c.rateLimiter = rateLimiter;
      c.loadShedder = loadShedder;
      c.backpressure = backpressure;
      c.adaptiveLimiter = adaptiveLimiter;
      c.keyedRateLimiter = keyedRateLimiter;
      return c;
    }
  }
}
