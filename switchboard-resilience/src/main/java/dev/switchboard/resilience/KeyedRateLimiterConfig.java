package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link KeyedRateLimiter}'s settings: the config each key's limiter gets, and how many keys are
 * kept. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>constraint</th></tr>
 *   <tr><td>limiter</td><td>{@link RateLimiterConfig#defaults()}</td><td>its ticker times idleness too</td></tr>
 *   <tr><td>maxKeys</td><td>10,000</td><td>at least 1</td></tr>
 *   <tr><td>idleAfter</td><td>10 min</td><td>positive</td></tr>
 * </table>
 */
public final class KeyedRateLimiterConfig {

  private static final KeyedRateLimiterConfig DEFAULTS = builder().build();

  private final RateLimiterConfig limiter;
  private final int maxKeys;
  private final Duration idleAfter;

  private KeyedRateLimiterConfig(Builder b) {
    this.limiter = b.limiter;
    this.maxKeys = b.maxKeys;
    this.idleAfter = b.idleAfter;
  }

  public static KeyedRateLimiterConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The config of every key's limiter. */
  public RateLimiterConfig limiter() {
    return limiter;
  }

  /** The most keys kept; beyond it the least recently used key is dropped. */
  public int maxKeys() {
    return maxKeys;
  }

  /** A key untouched this long is dropped (and starts again with a full bucket). */
  public Duration idleAfter() {
    return idleAfter;
  }

  @Override
  public String toString() {
    return "KeyedRateLimiterConfig[limiter="
        + limiter
        + ", maxKeys="
        + maxKeys
        + ", idleAfter="
        + idleAfter
        + "]";
  }

  /** Builds a {@link KeyedRateLimiterConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private RateLimiterConfig limiter = RateLimiterConfig.defaults();
    private int maxKeys = 10_000;
    private Duration idleAfter = Duration.ofMinutes(10);

    private Builder() {}

    public Builder limiter(RateLimiterConfig value) {
      limiter = Objects.requireNonNull(value, "limiter");
      return this;
    }

    public Builder maxKeys(int value) {
      maxKeys = value;
      return this;
    }

    public Builder idleAfter(Duration value) {
      idleAfter = Objects.requireNonNull(value, "idleAfter");
      return this;
    }

    /** Validates and builds; throws {@link IllegalArgumentException} naming the bad setting. */
    public KeyedRateLimiterConfig build() {
      Check.atLeast("maxKeys", maxKeys, 1);
      Check.positive("idleAfter", idleAfter);
      return new KeyedRateLimiterConfig(this);
    }
  }
}
