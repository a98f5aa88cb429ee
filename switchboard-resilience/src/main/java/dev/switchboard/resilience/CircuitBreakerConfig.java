package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How a {@link CircuitBreaker} decides to trip and to recover. Immutable and thread-safe; {@link
 * #builder()} validates every setting in {@link Builder#build()} and fails with {@code "<setting>
 * must be <constraint>, got <value>"}. Defaults are listed on each builder method; the shared
 * settings are {@link PatternConfig}'s, where {@code exceptionHandling} says which exceptions are
 * failures and what a refused caller sees.
 */
public final class CircuitBreakerConfig extends PatternConfig {

  /** How the sliding window counts: the last N calls, or the calls of the last N seconds. */
  public enum SlidingWindowType {
    COUNT_BASED,
    TIME_BASED
  }

  /** Largest window size and half-open trial count. */
  public static final int MAX_SIZE = 1_000_000;

  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  private final double failureRateThreshold;
  private final double slowCallRateThreshold;
  private final Duration slowCallDurationThreshold;
  private final int consecutiveFailureThreshold;
  private final SlidingWindowType slidingWindowType;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final Duration waitDurationInOpenState;
  private final double openWaitJitter;
  private final int permittedCallsInHalfOpenState;
  private final Duration maxWaitInHalfOpenState;
  private final Predicate<Object> failureResult;

  private CircuitBreakerConfig(Builder b) {
    super(b);
    failureRateThreshold = percentage("failureRateThreshold", b.failureRateThreshold);
    slowCallRateThreshold = percentage("slowCallRateThreshold", b.slowCallRateThreshold);
    slowCallDurationThreshold =
        Check.positive("slowCallDurationThreshold", b.slowCallDurationThreshold);
    consecutiveFailureThreshold =
        Check.atLeast("consecutiveFailureThreshold", b.consecutiveFailureThreshold, 0);
    slidingWindowType = b.slidingWindowType;
    slidingWindowSize =
        atMostMax("slidingWindowSize", Check.atLeast("slidingWindowSize", b.slidingWindowSize, 1));
    minimumNumberOfCalls = Check.atLeast("minimumNumberOfCalls", b.minimumNumberOfCalls, 1);
    waitDurationInOpenState = Check.positive("waitDurationInOpenState", b.waitDurationInOpenState);
    openWaitJitter = Check.between("openWaitJitter", b.openWaitJitter, 0.0, 1.0);
    permittedCallsInHalfOpenState =
        atMostMax(
            "permittedCallsInHalfOpenState",
            Check.atLeast("permittedCallsInHalfOpenState", b.permittedCallsInHalfOpenState, 1));
    maxWaitInHalfOpenState = Check.positive("maxWaitInHalfOpenState", b.maxWaitInHalfOpenState);
    failureResult = b.failureResult;
  }

  public static CircuitBreakerConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  public double slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  public Duration slowCallDurationThreshold() {
    return slowCallDurationThreshold;
  }

  /** 0 when tripping on consecutive failures is off. */
  public int consecutiveFailureThreshold() {
    return consecutiveFailureThreshold;
  }

  public SlidingWindowType slidingWindowType() {
    return slidingWindowType;
  }

  /** Calls (COUNT_BASED) or seconds (TIME_BASED). */
  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  public Duration waitDurationInOpenState() {
    return waitDurationInOpenState;
  }

  public double openWaitJitter() {
    return openWaitJitter;
  }

  public int permittedCallsInHalfOpenState() {
    return permittedCallsInHalfOpenState;
  }

  public Duration maxWaitInHalfOpenState() {
    return maxWaitInHalfOpenState;
  }

  public Predicate<Object> failureResult() {
    return failureResult;
  }

  private static double percentage(String setting, double value) {
    if (!(value > 0.0 && value <= 100.0)) {
      throw new IllegalArgumentException(
          setting + " must be above 0 and at most 100, got " + value);
    }
    return value;
  }

  private static int atMostMax(String setting, int value) {
    if (value > MAX_SIZE) {
      throw new IllegalArgumentException(
          setting + " must be at most " + MAX_SIZE + ", got " + value);
    }
    return value;
  }

  /** Builds a {@link CircuitBreakerConfig}; not thread-safe. */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private double failureRateThreshold = 50;
    private double slowCallRateThreshold = 100;
    private Duration slowCallDurationThreshold = Duration.ofSeconds(60);
    private int consecutiveFailureThreshold = 0;
    private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
    private int slidingWindowSize = 100;
    private int minimumNumberOfCalls = 100;
    private Duration waitDurationInOpenState = Duration.ofSeconds(60);
    private double openWaitJitter = 0;
    private int permittedCallsInHalfOpenState = 10;
    private Duration maxWaitInHalfOpenState = Duration.ofSeconds(60);
    private Predicate<Object> failureResult = result -> false;

    private Builder() {}

    /** Percentage of failed calls (above 0, at most 100) that trips the circuit; default 50. */
    public Builder failureRateThreshold(double percent) {
      failureRateThreshold = percent;
      return this;
    }

    /** Percentage of slow calls (above 0, at most 100) that trips the circuit; default 100. */
    public Builder slowCallRateThreshold(double percent) {
      slowCallRateThreshold = percent;
      return this;
    }

    /** A call lasting at least this long is slow; default 60 s. */
    public Builder slowCallDurationThreshold(Duration value) {
      slowCallDurationThreshold = Objects.requireNonNull(value, "slowCallDurationThreshold");
      return this;
    }

    /** Trip after this many failures in a row, whatever the window says; default 0 (off). */
    public Builder consecutiveFailureThreshold(int value) {
      consecutiveFailureThreshold = value;
      return this;
    }

    /** Default COUNT_BASED. */
    public Builder slidingWindowType(SlidingWindowType value) {
      slidingWindowType = Objects.requireNonNull(value, "slidingWindowType");
      return this;
    }

    /**
     * Calls (COUNT_BASED) or seconds (TIME_BASED) in the window, 1 to {@value #MAX_SIZE}; default
     * 100.
     */
    public Builder slidingWindowSize(int value) {
      slidingWindowSize = value;
      return this;
    }

    /**
     * Rates count once the window holds this many calls (a count window: at most its size); default
     * 100.
     */
    public Builder minimumNumberOfCalls(int value) {
      minimumNumberOfCalls = value;
      return this;
    }

    /** How long the circuit stays OPEN before it admits trial calls; default 60 s. */
    public Builder waitDurationInOpenState(Duration value) {
      waitDurationInOpenState = Objects.requireNonNull(value, "waitDurationInOpenState");
      return this;
    }

    /**
     * Each open wait is the wait duration times a random factor in [1 - jitter, 1 + jitter]; 0 to
     * 1, default 0.
     */
    public Builder openWaitJitter(double value) {
      openWaitJitter = value;
      return this;
    }

    /** Trial calls admitted in HALF_OPEN, 1 to {@value #MAX_SIZE}; default 10. */
    public Builder permittedCallsInHalfOpenState(int value) {
      permittedCallsInHalfOpenState = value;
      return this;
    }

    /**
     * When HALF_OPEN lasts this long without all trial results, the circuit opens again; default 60
     * s.
     */
    public Builder maxWaitInHalfOpenState(Duration value) {
      maxWaitInHalfOpenState = Objects.requireNonNull(value, "maxWaitInHalfOpenState");
      return this;
    }

    /**
     * A returned result matching this counts as a failure (the caller still gets it); default none.
     */
    public Builder failureResult(Predicate<Object> value) {
      failureResult = Objects.requireNonNull(value, "failureResult");
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public CircuitBreakerConfig build() {
      return new CircuitBreakerConfig(this);
    }
  }
}
