package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RateLimiter} refills and waits: {@code rate} tokens are added every {@code period},
 * up to {@code burst} tokens. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>constraint</th></tr>
 *   <tr><td>rate</td><td>50</td><td>at least 1</td></tr>
 *   <tr><td>period</td><td>1 s</td><td>positive; {@code rate * period} in nanos fits a {@code long}</td></tr>
 *   <tr><td>burst</td><td>= rate</td><td>at least 1</td></tr>
 *   <tr><td>timeout</td><td>0 (no wait)</td><td>not negative</td></tr>
 *   <tr><td>ticker</td><td>{@link Ticker#SYSTEM}</td><td></td></tr>
 *   <tr><td>eventBus</td><td>{@link EventBus#global()}</td><td></td></tr>
 *   <tr><td>exceptionHandling</td><td>{@link ExceptionHandling#defaults()}</td><td></td></tr>
 * </table>
 */
public final class RateLimiterConfig extends PatternConfig {

  private static final RateLimiterConfig DEFAULTS = builder().build();

  private final int rate;
  private final Duration period;
  private final int burst;
  private final Duration timeout;

  private RateLimiterConfig(Builder b) {
    super(b);
    this.rate = b.rate;
    this.period = b.period;
    this.burst = b.burst == 0 ? b.rate : b.burst;
    this.timeout = b.timeout;
  }

  /** 50 tokens a second, burst 50, no wait. */
  public static RateLimiterConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    return new Builder().sharedFrom(this).rate(rate).period(period).burst(burst).timeout(timeout);
  }

  /** Tokens added every {@link #period()}. */
  public int rate() {
    return rate;
  }

  public Duration period() {
    return period;
  }

  /** The bucket's capacity: the most permits granted at once after an idle spell. */
  public int burst() {
    return burst;
  }

  /** How long {@link RateLimiter#call} and {@link RateLimiter#callAsync} wait for a permit. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "RateLimiterConfig[rate="
        + rate
        + ", period="
        + period
        + ", burst="
        + burst
        + ", timeout="
        + timeout
        + "]";
  }

  /** Builds a {@link RateLimiterConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private int rate = 50;
    private Duration period = Duration.ofSeconds(1);
    private int burst; // 0 = same as rate
    private Duration timeout = Duration.ZERO;
    private boolean burstSet;

    private Builder() {}

    public Builder rate(int value) {
      rate = value;
      return this;
    }

    public Builder period(Duration value) {
      period = Objects.requireNonNull(value, "period");
      return this;
    }

    public Builder burst(int value) {
      burst = value;
      burstSet = true;
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = Objects.requireNonNull(value, "timeout");
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds; throws {@link IllegalArgumentException} naming the bad setting. */
    public RateLimiterConfig build() {
      Check.atLeast("rate", rate, 1);
      Check.positive("period", period);
      if (burstSet) {
        Check.atLeast("burst", burst, 1);
      }
      Check.notNegative("timeout", timeout);
      long periodNanos;
      try {
        periodNanos = period.toNanos();
        Math.multiplyExact(periodNanos, (long) rate);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "rate * period must be at most " + Long.MAX_VALUE + " ns, got " + rate + " * " + period,
            e);
      }
      return new RateLimiterConfig(this);
    }
  }
}
