package dev.switchboard.resilience;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * When a {@link LoadShedder} sheds. Immutable; {@link #builder()}.
 *
 * <p>The load level comes from the calls in flight against {@link #maxInFlight()} (default 100):
 * below 50% NORMAL, below 75% ELEVATED, below 90% HIGH, from there CRITICAL (thresholds
 * configurable), and no call at all past {@code maxInFlight}. Optionally a {@link #systemLoad()
 * system load signal} (see {@link SystemLoad}) raises the level further; it is read from a value
 * sampled off the call path, never measured per call.
 */
public final class LoadShedderConfig extends PatternConfig {

  private static final LoadShedderConfig DEFAULTS = builder().build();

  private final int maxInFlight;
  private final double elevatedAt;
  private final double highAt;
  private final double criticalAt;
  private final Optional<Supplier<LoadLevel>> systemLoad;

  private LoadShedderConfig(Builder b) {
    super(b);
    this.maxInFlight = b.maxInFlight;
    this.elevatedAt = b.elevatedAt;
    this.highAt = b.highAt;
    this.criticalAt = b.criticalAt;
    this.systemLoad = b.systemLoad;
  }

  public static LoadShedderConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /** The share of {@code maxInFlight} in use from which the level is ELEVATED (default 0.5). */
  public double elevatedAt() {
    return elevatedAt;
  }

  /** From which the level is HIGH (default 0.75). */
  public double highAt() {
    return highAt;
  }

  /** From which the level is CRITICAL (default 0.9). */
  public double criticalAt() {
    return criticalAt;
  }

  /** A second opinion on the level, read on each call (it must be cheap: a sampled value). */
  public Optional<Supplier<LoadLevel>> systemLoad() {
    return systemLoad;
  }

  /** Builds a {@link LoadShedderConfig}; {@link #build()} checks the thresholds' order. */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private int maxInFlight = 100;
    private double elevatedAt = 0.5;
    private double highAt = 0.75;
    private double criticalAt = 0.9;
    private Optional<Supplier<LoadLevel>> systemLoad = Optional.empty();

    private Builder() {}

    public Builder maxInFlight(int value) {
      maxInFlight = Check.atLeast("maxInFlight", value, 1);
      return this;
    }

    /**
     * The shares of {@code maxInFlight} at which ELEVATED, HIGH and CRITICAL start, each in (0, 1].
     */
    public Builder thresholds(double elevated, double high, double critical) {
      elevatedAt = Check.between("elevatedAt", elevated, Double.MIN_VALUE, 1);
      highAt = Check.between("highAt", high, Double.MIN_VALUE, 1);
      criticalAt = Check.between("criticalAt", critical, Double.MIN_VALUE, 1);
      return this;
    }

    public Builder systemLoad(Supplier<LoadLevel> value) {
      systemLoad = Optional.of(Objects.requireNonNull(value, "systemLoad"));
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public LoadShedderConfig build() {
      if (!(elevatedAt <= highAt && highAt <= criticalAt)) {
        throw new IllegalArgumentException(
            "thresholds must satisfy elevatedAt <= highAt <= criticalAt, got "
                + elevatedAt
                + ", "
                + highAt
                + ", "
                + criticalAt);
      }
      return new LoadShedderConfig(this);
    }
  }
}
