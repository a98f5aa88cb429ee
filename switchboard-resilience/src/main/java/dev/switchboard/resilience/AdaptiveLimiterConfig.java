package dev.switchboard.resilience;

/**
 * How an {@link AdaptiveLimiter} moves its limit (AIMD: additive increase, multiplicative
 * decrease). Immutable; {@link #builder()}.
 *
 * <p>Defaults: initial limit 20, between 1 and 1,000; +1 after a success that found the limit at
 * least half used; times 0.9 after a failure or timeout (never below the minimum).
 */
public final class AdaptiveLimiterConfig extends PatternConfig {

  private static final AdaptiveLimiterConfig DEFAULTS = builder().build();

  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;

  private AdaptiveLimiterConfig(Builder b) {
    super(b);
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoffRatio = b.backoffRatio;
  }

  public static AdaptiveLimiterConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int initialLimit() {
    return initialLimit;
  }

  public int minLimit() {
    return minLimit;
  }

  public int maxLimit() {
    return maxLimit;
  }

  /** What the limit is multiplied by after a failure, in (0, 1). */
  public double backoffRatio() {
    return backoffRatio;
  }

  /**
   * Builds an {@link AdaptiveLimiterConfig}; {@link #build()} checks the limits against each other.
   */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private int initialLimit = 20;
    private int minLimit = 1;
    private int maxLimit = 1_000;
    private double backoffRatio = 0.9;

    private Builder() {}

    public Builder initialLimit(int value) {
      initialLimit = Check.atLeast("initialLimit", value, 1);
      return this;
    }

    public Builder minLimit(int value) {
      minLimit = Check.atLeast("minLimit", value, 1);
      return this;
    }

    public Builder maxLimit(int value) {
      maxLimit = Check.atLeast("maxLimit", value, 1);
      return this;
    }

    public Builder backoffRatio(double value) {
      if (!(value > 0 && value < 1)) {
        throw new IllegalArgumentException(
            "backoffRatio must be between 0 and 1 (exclusive), got " + value);
      }
      backoffRatio = value;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public AdaptiveLimiterConfig build() {
      if (minLimit > maxLimit) {
        throw new IllegalArgumentException(
            "minLimit must be at most maxLimit (" + maxLimit + "), got " + minLimit);
      }
      if (initialLimit < minLimit || initialLimit > maxLimit) {
        throw new IllegalArgumentException(
            "initialLimit must be between minLimit ("
                + minLimit
                + ") and maxLimit ("
                + maxLimit
                + "), got "
                + initialLimit);
      }
      return new AdaptiveLimiterConfig(this);
    }
  }
}
