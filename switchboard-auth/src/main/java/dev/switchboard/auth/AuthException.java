package dev.switchboard.auth;

import java.util.Objects;

/**
 * A credential was refused. The message says why in terms fit for a log line: it never contains the
 * token, the secret or an API key, and values taken from a token (issuer, key id) are quoted, cut
 * short and stripped of control characters.
 */
public class AuthException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_QUOTED = 80;

  private final AuthFailure reason;

  /**
   * For callers that refuse a request themselves, e.g. {@link AuthFailure#MISSING_TOKEN} for an
   * absent header.
   */
  public AuthException(AuthFailure reason, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The reason, for metrics and for choosing what to log; the client should not learn it. */
  public AuthFailure reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "AuthException{reason=" + reason + ", message=" + getMessage() + "}";
  }

  /** Quotes a value that came from outside, so that it cannot forge log lines or flood them. */
  static String quote(String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("'");
    value
        .codePoints()
        .limit(MAX_QUOTED)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.append(value.codePointCount(0, value.length()) > MAX_QUOTED ? "...'" : "'")
        .toString();
  }
}
