package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.EventBus;
import dev.switchboard.resilience.ExceptionHandling;
import dev.switchboard.resilience.RateLimiterConfig;
import dev.switchboard.resilience.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisRateLimiter} refills and what it does when Redis fails. The bucket is the local
 * limiter's own {@link RateLimiterConfig} ({@code rate} tokens every {@code period}, up to {@code
 * burst}; its ticker, event bus and exception handling), so a limit moves between one process and
 * many without being written twice; its {@code timeout} is not used, since the Redis limiter never
 * waits. Immutable and thread-safe; build with {@link #builder()}. Every limiter sharing a key
 * prefix should use the same bucket; during a rolling change the bucket keeps its tokens (rounded
 * down) across the two settings.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>constraint</th></tr>
 *   <tr><td>limit</td><td>{@link RateLimiterConfig#defaults()}: 50 a second, burst 50</td><td>period in whole
 *       microseconds (the Redis clock's resolution); {@code burst * period} at most 2^53 us (285 years)</td></tr>
 *   <tr><td>keyPrefix</td><td>{@code "switchboard:ratelimit:"}</td><td>not empty</td></tr>
 *   <tr><td>failureMode</td><td>{@link FailureMode#OPEN}</td><td></td></tr>
 *   <tr><td>commandTimeout</td><td>250 ms</td><td>between 1 ms and 1 min</td></tr>
 * </table>
 */
public final class RedisRateLimiterConfig {

  /**
   * The largest integer a double (Lua's number) holds exactly; the script's arithmetic stays below
   * it.
   */
  static final long MAX_EXACT = 1L << 53;

  private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
  private static final RedisRateLimiterConfig DEFAULTS = builder().build();

  private final RateLimiterConfig limit;
  private final String keyPrefix;
  private final FailureMode failureMode;
  private final Duration commandTimeout;

  private RedisRateLimiterConfig(Builder b) {
    this.limit = b.limit;
    this.keyPrefix = b.keyPrefix;
    this.failureMode = b.failureMode;
    this.commandTimeout = b.commandTimeout;
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
    return new Builder()
        .limit(limit)
        .keyPrefix(keyPrefix)
        .failureMode(failureMode)
        .commandTimeout(commandTimeout);
  }

  /**
   * The bucket every key gets: rate, period, burst, and the ticker, event bus and exception
   * handling.
   */
  public RateLimiterConfig limit() {
    return limit;
  }

  /** Tokens added to each key's bucket every {@link #period()}. */
  public int rate() {
    return limit.rate();
  }

  public Duration period() {
    return limit.period();
  }

  /** A bucket's capacity: the most permits granted at once after an idle spell. */
  public int burst() {
    return limit.burst();
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

  /**
   * Times events and the throttling of failure logs; the buckets run on the Redis server's clock.
   */
  public Ticker ticker() {
    return limit.ticker();
  }

  public EventBus eventBus() {
    return limit.eventBus();
  }

  /**
   * Its callback is told of every Redis failure; its transformer makes the exception of {@link
   * FailureMode#THROW}.
   */
  public ExceptionHandling exceptionHandling() {
    return limit.exceptionHandling();
  }

  /** The period in microseconds. */
  long periodMicros() {
    return period().getSeconds() * 1_000_000 + period().getNano() / 1_000;
  }

  @Override
  public String toString() {
    return "RedisRateLimiterConfig[rate="
        + rate()
        + ", period="
        + period()
        + ", burst="
        + burst()
        + ", keyPrefix="
        + keyPrefix
        + ", failureMode="
        + failureMode
        + ", commandTimeout="
        + commandTimeout
        + "]";
  }

  /** Builds a {@link RedisRateLimiterConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private RateLimiterConfig limit = RateLimiterConfig.defaults();
    private String keyPrefix = "switchboard:ratelimit:";
    private FailureMode failureMode = FailureMode.OPEN;
    private Duration commandTimeout = Duration.ofMillis(250);

    private Builder() {}

    /** The bucket, as for a local {@link dev.switchboard.resilience.RateLimiter}. */
    public Builder limit(RateLimiterConfig value) {
      limit = Objects.requireNonNull(value, "limit");
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

    /**
     * Validates and builds; throws {@link IllegalArgumentException} naming the setting, its value
     * and the limit.
     */
    public RedisRateLimiterConfig build() {
      Duration period = limit.period();
      if (period.getNano() % 1_000 != 0) {
        throw new IllegalArgumentException(
            "period must be whole microseconds (the Redis clock's resolution), got " + period);
      }
      // burst * periodMicros <= 2^53, written so that nothing overflows
      if (period.getSeconds() > MAX_EXACT / 1_000_000
          || period.getSeconds() * 1_000_000 + period.getNano() / 1_000
              > MAX_EXACT / limit.burst()) {
        throw new IllegalArgumentException(
            "burst * period must be at most 2^53 microseconds (285 years), got "
                + limit.burst()
                + " * "
                + period);
      }
      if (keyPrefix.isEmpty()) {
        throw new IllegalArgumentException("keyPrefix must not be empty, got \"\"");
      }
      if (commandTimeout.compareTo(MIN_TIMEOUT) < 0 || commandTimeout.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "commandTimeout must be between "
                + MIN_TIMEOUT
                + " and "
                + MAX_TIMEOUT
                + ", got "
                + commandTimeout);
      }
      return new RedisRateLimiterConfig(this);
    }
  }
}
