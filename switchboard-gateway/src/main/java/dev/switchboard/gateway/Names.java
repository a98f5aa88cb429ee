package dev.switchboard.gateway;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The rules for channel names and user ids; every message names the offending value and the rule.
 */
public final class Names {

  /** Longest channel name. */
  public static final int MAX_CHANNEL_LENGTH = 64;

  /** Longest user id (a JWT {@code sub}). */
  public static final int MAX_USER_ID_LENGTH = 256;

  private Names() {}

  /**
   * True when {@code name} is 1-64 characters of ASCII letters, digits, {@code -}, {@code _} and
   * {@code .}.
   */
  public static boolean isChannel(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_CHANNEL_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * @throws IllegalArgumentException when {@code name} is not a valid channel name, naming it
   */
  public static String checkChannel(String name) {
    if (!isChannel(name)) {
      throw new IllegalArgumentException(
          "invalid channel name "
              + quote(name)
              + ": use 1-"
              + MAX_CHANNEL_LENGTH
              + " characters of letters, digits, '-', '_' and '.'");
    }
    return name;
  }

  /**
   * @throws IllegalArgumentException when {@code userId} is blank or too long
   */
  public static String checkUserId(String userId) {
    if (userId == null || userId.isBlank() || userId.length() > MAX_USER_ID_LENGTH) {
      throw new IllegalArgumentException(
          "invalid user id "
              + quote(userId)
              + ": must be 1-"
              + MAX_USER_ID_LENGTH
              + " characters and not blank");
    }
    return userId;
  }

  static List<String> distinct(String what, List<String> values) {
    Objects.requireNonNull(values, what);
    if (values.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return List.copyOf(new ArrayList<>(new LinkedHashSet<>(values)));
  }

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
