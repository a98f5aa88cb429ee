package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.EventBus;
import dev.switchboard.resilience.ExceptionHandling;
import dev.switchboard.resilience.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisRateLimiter} refills and what it does when Redis fails: {@code rate} tokens are added every
 * {@code period} to each key's bucket, up to {@code burst}. Immutable and thread-safe; build with
 * {@link #builder()}. Every limiter sharing a key prefix should use the same rate, period and burst; during a
 * rolling change the bucket keeps its tokens (rounded down) across the two settings.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>constraint</th></tr>
 *   <tr><td>rate</td><td>50</td><td>at least 1</td></tr>
 *   <tr><td>period</td><td>1 s</td><td>positive, whole microseconds (the Redis clock's resolution)</td></tr>
 *   <tr><td>burst</td><td>= rate</td><td>at least 1; {@code burst * period} at most 2^53 us (285 years)</td></tr>
 *   <tr><td>keyPrefix</td><td>{@code "switchboard:ratelimit:"}</td><td>not empty</td></tr>
 *   <tr><td>failureMode</td><td>{@link FailureMode#OPEN}</td><td></td></tr>
 *   <tr><td>commandTimeout</td><td>250 ms</td><td>between 1 ms and 1 min</td></tr>
 *   <tr><td>ticker</td><td>{@link Ticker#SYSTEM}</td><td>times events and log throttling only</td></tr>
 *   <tr><td>eventBus</td><td>{@link EventBus#global()}</td><td></td></tr>
 *   <tr><td>exceptionHandling</td><td>{@link ExceptionHandling#defaults()}</td><td>told of Redis failures</td></tr>
 * </table>
 */
public final class RedisRateLimiterConfig {

  /** The largest integer a double (Lua's number) holds exactly; the script's arithmetic stays below it. */
  static final long MAX_EXACT = 1L << 53;

  private static final RedisRateLimiterConfig DEFAULTS = builder().build();

  private final int rate;
  private final Duration period;
  private final int burst;
  private final String keyPrefix;
  private final FailureMode failureMode;
  private final Duration commandTimeout;
  private final Ticker ticker;
  private final EventBus eventBus;
  private final ExceptionHandling exceptionHandling;

  private RedisRateLimiterConfig(Builder b, int burst) {
    this.rate = b.rate;
    this.period = b.period;
    this.burst = burst;
    this.keyPrefix = b.keyPrefix;
    this.failureMode = b.failureMode;
    this.commandTimeout = b.commandTimeout;
    this.ticker = b.ticker;
    this.eventBus = b.eventBus;
    this.exceptionHandling = b.exceptionHandling;
  }

  /** 50 tokens a second, burst 50, failing open after 250 ms. */
  public static RedisRateLimiterConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    return new Builder().rate(rate).period(period).burst(burst).keyPrefix(keyPrefix).failureMode(failureMode)
        .commandTimeout(commandTimeout).ticker(ticker).eventBus(eventBus).exceptionHandling(exceptionHandling);
  }

  /** Tokens added to each key's bucket every {@link #period()}. */
  public int rate() {
    return rate;
  }

  public Duration period() {
    return period;
  }

  /** A bucket's capacity: the most permits granted at once after an idle spell. */
  public int burst() {
    return burst;
  }

  /** Put before every key to make the Redis key; keeps the limiter's keys apart from others. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** What a request gets when Redis does not answer. */
  public FailureMode failureMode() {
    return failureMode;
  }

  /** How long a request waits for Redis before the failure mode decides. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** Times events and the throttling of failure logs; the buckets run on the Redis server's clock. */
  public Ticker ticker() {
    return ticker;
  }

  public EventBus eventBus() {
    return eventBus;
  }

  /** Its callback is told of every Redis failure; its transformer makes the exception of {@link FailureMode#THROW}. */
  public ExceptionHandling exceptionHandling() {
    return exceptionHandling;
  }

  /** The period in microseconds. */
  long periodMicros() {
    return period.getSeconds() * 1_000_000 + period.getNano() / 1_000;
  }

  @Override
  public String toString() {
    return "RedisRateLimiterConfig[rate=" + rate + ", period=" + period + ", burst=" + burst + ", keyPrefix="
        + keyPrefix + ", failureMode=" + failureMode + ", commandTimeout=" + commandTimeout + "]";
  }

  /** Builds a {@link RedisRateLimiterConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private int rate = 50;
    private Duration period = Duration.ofSeconds(1);
    private int burst;
    private boolean burstSet;
    private String keyPrefix = "switchboard:ratelimit:";
    private FailureMode failureMode = FailureMode.OPEN;
    private Duration commandTimeout = Duration.ofMillis(250);
    private Ticker ticker = Ticker.SYSTEM;
    private EventBus eventBus = EventBus.global();
    private ExceptionHandling exceptionHandling = ExceptionHandling.defaults();

    private Builder() {}

    public Builder rate(int value) {
      rate = value;
      return this;
    }

    public Builder period(Duration value) {
      period = Objects.requireNonNull(value, "period");
      return this;
    }

    /** Defaults to the rate. */
    public Builder burst(int value) {
      burst = value;
      burstSet = true;
      return this;
    }

    public Builder keyPrefix(String value) {
      keyPrefix = Objects.requireNonNull(value, "keyPrefix");
      return this;
    }

    public Builder failureMode(FailureMode value) {
      failureMode = Objects.requireNonNull(value, "failureMode");
      return this;
    }

    public Builder commandTimeout(Duration value) {
      commandTimeout = Objects.requireNonNull(value, "commandTimeout");
      return this;
    }

    public Builder ticker(Ticker value) {
      ticker = Objects.requireNonNull(value, "ticker");
      return this;
    }

    public Builder eventBus(EventBus value) {
      eventBus = Objects.requireNonNull(value, "eventBus");
      return this;
    }

    public Builder exceptionHandling(ExceptionHandling value) {
      exceptionHandling = Objects.requireNonNull(value, "exceptionHandling");
      return this;
    }

    /** Validates and builds; throws {@link IllegalArgumentException} naming the setting, its value and the limit. */
    public RedisRateLimiterConfig build() {
      Check.atLeast("rate", rate, 1);
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("period must be positive, got " + period);
      }
      if (period.getNano() % 1_000 != 0) {
        throw new IllegalArgumentException(
            "period must be whole microseconds (the Redis clock's resolution), got " + period);
      }
      int effectiveBurst = burstSet ? Check.atLeast("burst", burst, 1) : rate;
      // burst * periodMicros <= 2^53, written so that nothing overflows
      if (period.getSeconds() > MAX_EXACT / 1_000_000
          || period.getSeconds() * 1_000_000 + period.getNano() / 1_000 > MAX_EXACT / effectiveBurst) {
        throw new IllegalArgumentException("burst * period must be at most 2^53 microseconds (285 years), got "
            + effectiveBurst + " * " + period);
      }
      Check.notEmpty("keyPrefix", keyPrefix);
      Check.between("commandTimeout", commandTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return new RedisRateLimiterConfig(this, effectiveBurst);
    }
  }
}
