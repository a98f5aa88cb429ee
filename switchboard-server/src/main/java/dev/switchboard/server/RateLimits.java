package dev.switchboard.server;

/**
 * Rate limits of the HTTP API and of WebSocket upgrades (see {@link RateLimitGate}).
 *
 * <p>Two sets of defaults, on purpose: {@link ServerConfig#builder()} starts from {@link #OFF}, so
 * an application embedding the server (and every test that opens many connections from one address)
 * limits nothing unless it asks; {@code switchboard serve} starts from {@link #SERVE_DEFAULTS}, the
 * documented values of {@code docs/configuration.md}.
 *
 * @param httpPerSecond requests per second per API key (or per client address without a valid key);
 *     0 turns the HTTP limit off
 * @param httpBurst the most requests at once after an idle spell (the bucket's size); 0 means the
 *     same as {@code httpPerSecond}
 * @param upgradesPerMinutePerAddress new WebSocket connections per minute per client address (also
 *     the burst); 0 turns the limit off
 */
public record RateLimits(int httpPerSecond, int httpBurst, int upgradesPerMinutePerAddress) {

  /** Nothing limited: the default of {@link ServerConfig#builder()}. */
  public static final RateLimits OFF = new RateLimits(0, 0, 0);

  /**
   * 100 requests/s with a burst of 200 per API key or address; 10 upgrades a minute per address.
   */
  public static final RateLimits SERVE_DEFAULTS = new RateLimits(100, 200, 10);

  public RateLimits {
    if (httpPerSecond < 0) {
      throw new IllegalArgumentException(
          "http.rate_limit_per_second must not be negative, got " + httpPerSecond);
    }
    if (httpBurst < 0) {
      throw new IllegalArgumentException(
          "http.rate_limit_burst must not be negative, got " + httpBurst);
    }
    if (upgradesPerMinutePerAddress < 0) {
      throw new IllegalArgumentException(
          "websocket.connections_per_minute_per_ip must not be negative, got "
              + upgradesPerMinutePerAddress);
    }
  }

  /** The HTTP bucket's size: {@code httpBurst}, or {@code httpPerSecond} when the burst is 0. */
  int effectiveHttpBurst() {
    return httpBurst == 0 ? httpPerSecond : httpBurst;
  }
}
