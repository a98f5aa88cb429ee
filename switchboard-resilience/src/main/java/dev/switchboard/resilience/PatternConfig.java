package dev.switchboard.resilience;

import java.util.Objects;

/**
 * What every pattern's config has: the {@link Ticker} it measures time with (default {@link
 * Ticker#SYSTEM}), the {@link EventBus} its events also go to (default {@link EventBus#global()}),
 * and its {@link ExceptionHandling} (default {@link ExceptionHandling#defaults()}). Each pattern's
 * config adds its own settings.
 */
public abstract sealed class PatternConfig
    permits AdaptiveLimiterConfig,
        BackpressureConfig,
        BulkheadConfig,
        CircuitBreakerConfig,
        FallbackConfig,
        LoadShedderConfig,
        RateLimiterConfig,
        RetryConfig,
        TimeoutConfig {

  private final Ticker ticker;
  private final EventBus eventBus;
  private final ExceptionHandling exceptionHandling;

  PatternConfig(Builder<?> b) {
    this.ticker = b.ticker;
    this.eventBus = b.eventBus;
    this.exceptionHandling = b.exceptionHandling;
  }

  /** The time source: only differences of its readings mean anything. */
  public Ticker ticker() {
    return ticker;
  }

  /** Where the instance's events go, besides its own listeners. */
  public EventBus eventBus() {
    return eventBus;
  }

  /** Which failures count, how they are reported and what the caller gets instead. */
  public ExceptionHandling exceptionHandling() {
    return exceptionHandling;
  }

  /**
   * The builder part every config shares.
   *
   * @param <B> the concrete builder, so that these setters chain with its own
   */
  public abstract static sealed class Builder<B extends Builder<B>>
      permits AdaptiveLimiterConfig.Builder,
          BackpressureConfig.Builder,
          BulkheadConfig.Builder,
          CircuitBreakerConfig.Builder,
          FallbackConfig.Builder,
          LoadShedderConfig.Builder,
          RateLimiterConfig.Builder,
          RetryConfig.Builder,
          TimeoutConfig.Builder {

    private Ticker ticker = Ticker.SYSTEM;
    private EventBus eventBus = EventBus.global();
    private ExceptionHandling exceptionHandling = ExceptionHandling.defaults();

    Builder() {}

    public B ticker(Ticker value) {
      ticker = Objects.requireNonNull(value, "ticker");
      return self();
    }

    public B eventBus(EventBus value) {
      eventBus = Objects.requireNonNull(value, "eventBus");
      return self();
    }

    public B exceptionHandling(ExceptionHandling value) {
      exceptionHandling = Objects.requireNonNull(value, "exceptionHandling");
      return self();
    }

    /** Takes the shared settings of {@code config} (for {@code toBuilder()}). */
    B sharedFrom(PatternConfig config) {
      ticker = config.ticker;
      eventBus = config.eventBus;
      exceptionHandling = config.exceptionHandling;
      return self();
    }

    abstract B self();
  }
}
