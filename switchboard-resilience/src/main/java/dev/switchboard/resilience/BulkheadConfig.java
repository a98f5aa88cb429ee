package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How many calls a {@link Bulkhead} runs at once and how callers beyond that wait. Immutable and
 * thread-safe; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>constraint</th></tr>
 *   <tr><td>maxConcurrentCalls</td><td>25</td><td>at least 1</td></tr>
 *   <tr><td>maxWaitingCalls</td><td>100</td><td>at least 0</td></tr>
 *   <tr><td>maxWait</td><td>0 (no wait)</td><td>not negative</td></tr>
 *   <tr><td>ticker</td><td>{@link Ticker#SYSTEM}</td><td></td></tr>
 *   <tr><td>eventBus</td><td>{@link EventBus#global()}</td><td></td></tr>
 *   <tr><td>exceptionHandling</td><td>{@link ExceptionHandling#defaults()}</td><td></td></tr>
 * </table>
 */
public final class BulkheadConfig extends PatternConfig {

  private static final BulkheadConfig DEFAULTS = builder().build();

  private final int maxConcurrentCalls;
  private final int maxWaitingCalls;
  private final Duration maxWait;

  private BulkheadConfig(Builder b) {
    super(b);
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.maxWaitingCalls = b.maxWaitingCalls;
    this.maxWait = b.maxWait;
  }

  /** 25 concurrent calls, no waiting. */
  public static BulkheadConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .sharedFrom(this)
        .maxConcurrentCalls(maxConcurrentCalls)
        .maxWaitingCalls(maxWaitingCalls)
        .maxWait(maxWait);
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /** How many callers may wait for a permit at once; more are refused at once. */
  public int maxWaitingCalls() {
    return maxWaitingCalls;
  }

  /** How long a blocking caller waits for a permit; zero = refuse at once when full. */
  public Duration maxWait() {
    return maxWait;
  }

  @Override
  public String toString() {
    return "BulkheadConfig[maxConcurrentCalls="
        + maxConcurrentCalls
        + ", maxWaitingCalls="
        + maxWaitingCalls
        + ", maxWait="
        + maxWait
        + "]";
  }

  /** Builds a {@link BulkheadConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private int maxConcurrentCalls = 25;
    private int maxWaitingCalls = 100;
    private Duration maxWait = Duration.ZERO;

    private Builder() {}

    public Builder maxConcurrentCalls(int value) {
      maxConcurrentCalls = value;
      return this;
    }

    public Builder maxWaitingCalls(int value) {
      maxWaitingCalls = value;
      return this;
    }

    public Builder maxWait(Duration value) {
      maxWait = Objects.requireNonNull(value, "maxWait");
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** Validates and builds; throws {@link IllegalArgumentException} naming the bad setting. */
    public BulkheadConfig build() {
      Check.atLeast("maxConcurrentCalls", maxConcurrentCalls, 1);
      Check.atLeast("maxWaitingCalls", maxWaitingCalls, 0);
      Check.notNegative("maxWait", maxWait);
      return new BulkheadConfig(this);
    }
  }
}
