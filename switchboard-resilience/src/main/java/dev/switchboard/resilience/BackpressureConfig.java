package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * When {@link Backpressure} pushes back. Immutable; {@link #builder()}.
 *
 * <p>Defaults: high water mark 1,000 items in flight, low water mark 800, no waiting (a caller is refused at once
 * while pressure is on).
 */
public final class BackpressureConfig {

  private static final BackpressureConfig DEFAULTS = builder().build();

  private final int highWaterMark;
  private final int lowWaterMark;
  private final Duration maxWait;
  private final ExceptionHandling exceptionHandling;
  private final EventBus eventBus;
  private final Ticker ticker;

  private BackpressureConfig(Builder b) {
    this.highWaterMark = b.highWaterMark;
    this.lowWaterMark = b.lowWaterMark;
    this.maxWait = b.maxWait;
    this.exceptionHandling = b.exceptionHandling;
    this.eventBus = b.eventBus;
    this.ticker = b.ticker;
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

  public ExceptionHandling exceptionHandling() {
    return exceptionHandling;
  }

  public EventBus eventBus() {
    return eventBus;
  }

  public Ticker ticker() {
    return ticker;
  }

  /** Builds a {@link BackpressureConfig}; {@link #build()} checks that low &lt; high. */
  public static final class Builder {
    private int highWaterMark = 1_000;
    private int lowWaterMark = 800;
    private Duration maxWait = Duration.ZERO;
    private ExceptionHandling exceptionHandling = ExceptionHandling.defaults();
    private EventBus eventBus = EventBus.global();
    private Ticker ticker = Ticker.SYSTEM;

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

    public Builder exceptionHandling(ExceptionHandling value) {
      exceptionHandling = Objects.requireNonNull(value, "exceptionHandling");
      return this;
    }

    public Builder eventBus(EventBus value) {
      eventBus = Objects.requireNonNull(value, "eventBus");
      return this;
    }

    public Builder ticker(Ticker value) {
      ticker = Objects.requireNonNull(value, "ticker");
      return this;
    }

    public BackpressureConfig build() {
      if (lowWaterMark >= highWaterMark) {
        throw new IllegalArgumentException(
            "lowWaterMark must be below highWaterMark (" + highWaterMark + "), got " + lowWaterMark);
      }
      return new BackpressureConfig(this);
    }
  }
}
