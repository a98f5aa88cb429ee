package dev.switchboard.resilience;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Pattern instances by name, one namespace per {@link PatternType}, created on first use. Thread-safe: concurrent
 * first uses of a name create exactly one instance. A name asked for again returns the existing instance; the
 * config passed then is ignored (the first use wins).
 *
 * <pre>{@code
 * ResilienceRegistry registry = ResilienceRegistry.builder().circuitBreakerDefaults(cbConfig).build();
 * CircuitBreaker payments = registry.circuitBreaker("payments");        // from cbConfig
 * Retry push = registry.retry("push", RetryConfig.builder().maxAttempts(5).build());
 * }</pre>
 */
public final class ResilienceRegistry {

  /** One registered instance. {@code pattern} is the instance itself, e.g. a {@link CircuitBreaker}. */
  public record Entry(PatternType type, String name, Object pattern) {}

  private record Key(PatternType type, String name) {}

  private final ConcurrentMap<Key, Object> instances = new ConcurrentHashMap<>();
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

  public CircuitBreaker circuitBreaker(String name) { return circuitBreaker(name, defaults.circuitBreaker); }

  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    return get(PatternType.CIRCUIT_BREAKER, name, config, n -> CircuitBreaker.of(n, config), CircuitBreaker.class);
  }

  public Retry retry(String name) { return retry(name, defaults.retry); }

  public Retry retry(String name, RetryConfig config) {
    return get(PatternType.RETRY, name, config, n -> Retry.of(n, config), Retry.class);
  }

  public Timeout timeout(String name) { return timeout(name, defaults.timeout); }

  public Timeout timeout(String name, TimeoutConfig config) {
    return get(PatternType.TIMEOUT, name, config, n -> Timeout.of(n, config), Timeout.class);
  }

  public Bulkhead bulkhead(String name) { return bulkhead(name, defaults.bulkhead); }

  public Bulkhead bulkhead(String name, BulkheadConfig config) {
    return get(PatternType.BULKHEAD, name, config, n -> Bulkhead.of(n, config), Bulkhead.class);
  }

  public RateLimiter rateLimiter(String name) { return rateLimiter(name, defaults.rateLimiter); }

  public RateLimiter rateLimiter(String name, RateLimiterConfig config) {
    return get(PatternType.RATE_LIMITER, name, config, n -> RateLimiter.of(n, config), RateLimiter.class);
  }

  public LoadShedder loadShedder(String name) { return loadShedder(name, defaults.loadShedder); }

  public LoadShedder loadShedder(String name, LoadShedderConfig config) {
    return get(PatternType.LOAD_SHEDDER, name, config, n -> LoadShedder.of(n, config), LoadShedder.class);
  }

  public Backpressure backpressure(String name) { return backpressure(name, defaults.backpressure); }

  public Backpressure backpressure(String name, BackpressureConfig config) {
    return get(PatternType.BACKPRESSURE, name, config, n -> Backpressure.of(n, config), Backpressure.class);
  }

  /** Every instance created so far, sorted by type then name. */
  public List<Entry> all() {
    return instances.entrySet().stream()
        .map(e -> new Entry(e.getKey().type(), e.getKey().name(), e.getValue()))
        .sorted(Comparator.comparing(Entry::type).thenComparing(Entry::name))
        .toList();
  }

  private <P> P get(PatternType type, String name, Object config, Function<String, P> create, Class<P> kind) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    return kind.cast(instances.computeIfAbsent(new Key(type, name), key -> create.apply(key.name())));
  }

  /** Default configs used by the one-argument getters; each starts as that pattern's {@code defaults()}. */
  public static final class Builder {
    private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.defaults();
    private RetryConfig retry = RetryConfig.defaults();
    private TimeoutConfig timeout = TimeoutConfig.defaults();
    private BulkheadConfig bulkhead = BulkheadConfig.defaults();
    private RateLimiterConfig rateLimiter = RateLimiterConfig.defaults();
    private LoadShedderConfig loadShedder = LoadShedderConfig.defaults();
    private BackpressureConfig backpressure = BackpressureConfig.defaults();

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
      return c;
    }
  }
}
