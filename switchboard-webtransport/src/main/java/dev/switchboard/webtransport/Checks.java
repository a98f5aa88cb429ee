package dev.switchboard.webtransport;

import java.time.Duration;
import java.util.Objects;

/** The argument checks of the settings builders, each naming the setting it rejects. */
final class Checks {
  private Checks() {}

  static int range(String name, int value, int min, int max) {
    return (int) range(name, (long) value, min, max);
  }

  static long range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
    }
    return value;
  }

  static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }
}
