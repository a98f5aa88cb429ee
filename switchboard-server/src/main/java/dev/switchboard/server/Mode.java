package dev.switchboard.server;

/**
 * How strict the server is. {@code development} (the default of {@code serve}): devices may connect
 * without a token (a warning is logged), the API key is optional, error details are shown and the
 * demo RPC methods are registered. {@code production}: a token and the API key are required, the
 * server refuses to start without a JWT key and an API key, and internal error details are masked.
 */
public enum Mode {
  DEVELOPMENT,
  PRODUCTION;

  /** {@code development} or {@code production}, any case. */
  public static Mode parse(String text) {
    for (Mode m : values()) {
      if (m.name().equalsIgnoreCase(text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "mode must be development or production, got \"" + text + "\"");
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
