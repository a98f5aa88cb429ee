package dev.switchboard.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a TCP connection may do nothing useful, and how many may be open at once. On by default
 * everywhere (in code as in {@code switchboard serve}): a peer that opens sockets and sends
 * nothing, or sends a byte at a time, must not hold the server's file descriptors.
 *
 * @param headerTimeout from a connection's first byte (or its opening) to the end of a request's
 *     headers; on expiry the server answers 408 and closes. Default 10 s.
 * @param bodyTimeout from the end of a request's headers to the end of its body (408 and closed).
 *     Default 30 s.
 * @param idleTimeout how long a keep-alive connection may wait between requests before it is
 *     closed. Default 60 s.
 * @param handshakeTimeout from a WebSocket upgrade request to its answer (authentication included);
 *     on expiry the server answers 503 and closes. Default 10 s.
 * @param maxOpenSockets most TCP connections open at once (HTTP and WebSocket); the next is closed
 *     as soon as it is accepted. 0 (the default) means the process's file limit minus a tenth of it
 *     (at least 64), so that the server itself never runs out of descriptors.
 */
public record ConnectionLimits(
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    Duration handshakeTimeout,
    int maxOpenSockets) {

  public static final ConnectionLimits DEFAULTS =
      new ConnectionLimits(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          0);

  public ConnectionLimits {
    positive("http.header_timeout_seconds", headerTimeout);
    positive("http.body_timeout_seconds", bodyTimeout);
    positive("http.idle_timeout_seconds", idleTimeout);
    positive("websocket.handshake_timeout_seconds", handshakeTimeout);
    if (maxOpenSockets < 0) {
      throw new IllegalArgumentException(
          "limits.max_open_sockets must be 0 (automatic) or positive, got " + maxOpenSockets);
    }
  }

  /**
   * The cap on open sockets: {@link #maxOpenSockets()} when set, else {@code fileLimit} less a
   * tenth of it (at least 64 kept free for log files, Redis and the like).
   */
  int effectiveMaxOpenSockets(long fileLimit) {
    if (maxOpenSockets > 0) {
      return maxOpenSockets;
    }
    long headroom = Math.max(64, fileLimit / 10);
    return Math.clamp(fileLimit - headroom, 1, Integer.MAX_VALUE);
  }

  private static void positive(String key, Duration value) {
    Objects.requireNonNull(value, key);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          key + " must be positive, got " + value.toMillis() + " ms");
    }
  }
}
