package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Config validation with one message shape: {@code "<setting> must be <constraint>, got <value>"}.
 * Thrown as {@link IllegalArgumentException}.
 */
final class Check {

  private Check() {}

  static int atLeast(String setting, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(setting + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  static long atLeast(String setting, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(setting + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  static double between(String setting, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          setting + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  static Duration positive(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, got " + value);
    }
    return value;
  }

  static Duration notNegative(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative()) {
      throw new IllegalArgumentException(setting + " must not be negative, got " + value);
    }
    return value;
  }
}
