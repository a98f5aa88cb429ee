package dev.switchboard.resilience;

import java.time.Duration;

/**
 * When {@link Backpressure} pushes back. Immutable; {@link #builder()}.
 *
 * <p>Defaults: high water mark 1,000 items in flight, low water mark 800, no waiting (a caller is
 * refused at once while pressure is on).
 */
public final class BackpressureConfig extends PatternConfig {

  private static final BackpressureConfig DEFAULTS = builder().build();

  private final int highWaterMark;
  private final int lowWaterMark;
  private final Duration maxWait;

  private BackpressureConfig(Builder b) {
    super(b);
    this.highWaterMark = b.highWaterMark;
    this.lowWaterMark = b.lowWaterMark;
    this.maxWait = b.maxWait;
  }

  public static BackpressureConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Items in flight at which pressure turns on. */
  public int highWaterMark() {
    return highWaterMark;
  }

  /** Items in flight at or below which pressure turns off again (hysteresis). */
  public int lowWaterMark() {
    return lowWaterMark;
  }

  /** How long a blocking call waits for pressure to ease before it is refused. */
  public Duration maxWait() {
    return maxWait;
  }

  /** Builds a {@link BackpressureConfig}; {@link #build()} checks that low &lt; high. */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private int highWaterMark = 1_000;
    private int lowWaterMark = 800;
    private Duration maxWait = Duration.ZERO;

    private Builder() {}

    public Builder highWaterMark(int value) {
      highWaterMark = Check.atLeast("highWaterMark", value, 1);
      return this;
    }

    public Builder lowWaterMark(int value) {
      lowWaterMark = Check.atLeast("lowWaterMark", value, 0);
      return this;
    }

    public Builder maxWait(Duration value) {
      maxWait = Check.notNegative("maxWait", value);
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public BackpressureConfig build() {
      if (lowWaterMark >= highWaterMark) {
        throw new IllegalArgumentException(
            "lowWaterMark must be below highWaterMark ("
                + highWaterMark
                + "), got "
                + lowWaterMark);
      }
      return new BackpressureConfig(this);
    }
  }
}
