package dev.switchboard.server;

import dev.switchboard.auth.ApiKey;
import java.util.Optional;

/**
 * Who may use the admin page ({@code /admin}): with {@code admin.token} set, whoever presents it
 * ({@code X-Admin-Token: <token>} or {@code Authorization: Bearer <token>}, compared in constant
 * time by {@link ApiKey#matches}); without it, anyone in development mode and no one in production,
 * where the page does not exist (404). Immutable.
 */
final class AdminAccess {

  static final String HEADER = "X-Admin-Token";

  private final boolean enabled;
  private final Optional<ApiKey> token;

  AdminAccess(ServerConfig config) {
    this.token = config.adminToken();
    this.enabled = config.development() || token.isPresent();
  }

  /** What a request is allowed. */
  enum Verdict {
    /** The admin page is off: answer 404, as for a path that does not exist. */
    OFF,
    /** A token is needed and was missing or wrong: 401. */
    REFUSED,
    GRANTED
  }

  /**
   * The configured {@code admin.token}.
   *
   * @throws IllegalArgumentException when it is shorter than {@link ApiKey#MIN_LENGTH} characters
   *     or has leading or trailing whitespace (the message never shows it)
   */
  static ApiKey token(String text) {
    if (text.length() < ApiKey.MIN_LENGTH) {
      throw new IllegalArgumentException(
          "admin.token is "
              + text.length()
              + " characters; at least "
              + ApiKey.MIN_LENGTH
              + " are required");
    }
    return ApiKey.of(text);
  }

  /** Whether the page is served at all. */
  boolean enabled() {
    return enabled;
  }

  /**
   * @param tokenHeader the request's {@value #HEADER} header
   * @param authorization the request's {@code Authorization} header
   */
  Verdict check(Optional<String> tokenHeader, Optional<String> authorization) {
    if (!enabled) {
      return Verdict.OFF;
    }
    if (token.isEmpty()) {
      return Verdict.GRANTED;
    }
    Optional<String> presented =
        tokenHeader.or(
            () ->
                authorization
                    .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(a -> a.substring(7).trim()));
    return presented.filter(token.get()::matches).isPresent() ? Verdict.GRANTED : Verdict.REFUSED;
  }
}
