package dev.switchboard.auth;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks of single {@link JwtConfig} values; errors name the setting as the configuration file
 * does.
 */
final class Settings {

  private Settings() {}

  static byte[] secret(String value) {
    byte[] bytes = Objects.requireNonNull(value, "jwt.secret").getBytes(StandardCharsets.UTF_8);
    if (bytes.length < JwtConfig.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "jwt.secret is "
              + bytes.length
              + " bytes; at least "
              + JwtConfig.MIN_SECRET_BYTES
              + " bytes (256 bits) are required");
    }
    return bytes;
  }

  static URI httpUrl(String name, URI value) {
    Objects.requireNonNull(value, name);
    if (!"https".equalsIgnoreCase(value.getScheme())
        && !"http".equalsIgnoreCase(value.getScheme())) {
      throw new IllegalArgumentException(name + " must be an http or https URL, got " + value);
    }
    return value;
  }

  static String notBlank(String name, String value) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  static Duration within(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + show(min) + " and " + show(max) + ", got " + show(value));
    }
    return value;
  }

  /** Whole seconds as a plain number ({@code 30}), anything finer as a decimal ({@code 0.25}). */
  static String show(Duration value) {
    return value.getNano() == 0
        ? Long.toString(value.getSeconds())
        : BigDecimal.valueOf(value.getSeconds())
            .add(BigDecimal.valueOf(value.getNano(), 9))
            .stripTrailingZeros()
            .toPlainString();
  }
}
