package dev.switchboard.resilience.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Config validation with the core module's message shape: {@code "<setting> must be <constraint>, got <value>"},
 * thrown as {@link IllegalArgumentException}.
 */
final class Check {

  private Check() {}

  static int atLeast(String setting, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(setting + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  static Duration between(String setting, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, setting);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(setting + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  static String notEmpty(String setting, String value) {
    Objects.requireNonNull(value, setting);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(setting + " must not be empty, got \"\"");
    }
    return value;
  }
}
