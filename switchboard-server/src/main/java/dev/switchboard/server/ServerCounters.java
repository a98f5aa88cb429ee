package dev.switchboard.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the server's own (the gateway counts deliveries); for {@code GET /stats}.
 * Thread-safe.
 */
final class ServerCounters {
  final LongAdder opened = new LongAdder();
  final LongAdder refusedUpgrades = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder slowConsumers = new LongAdder();

  /** Slow consumers and errors, the last {@link RecentEvents#CAPACITY}, for the admin page. */
  final RecentEvents recent = new RecentEvents(java.time.Clock.systemUTC());

  /** Sockets closed as soon as accepted: {@link ConnectionLimits#maxOpenSockets()} were open. */
  final LongAdder refusedSockets = new LongAdder();

  /**
   * Idle connections closed to make room for new ones at {@link ConnectionLimits#maxOpenSockets()}.
   */
  final LongAdder evictedSockets = new LongAdder();

  /** Connections closed by a header, body, idle or handshake timeout ({@link HttpTimeouts}). */
  final LongAdder timedOutConnections = new LongAdder();

  /** Queued notifications a device got when it connected. */
  final LongAdder replayed = new LongAdder();

  private final LongAdder[] allowed = adders(RateLimitKind.values().length);
  private final LongAdder[] denied = adders(RateLimitKind.values().length);

  /** What a rate limit decides on. */
  enum RateLimitKind {
    /** An HTTP API request (per API key, or per address without one). */
    HTTP,
    /** A WebSocket or SSE connection attempt (per client address). */
    WEBSOCKET_CONNECT,
    /** A request or notification a device sent (per connection). */
    WEBSOCKET_MESSAGE;

    /** The {@code kind} label and /stats key. */
    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One rate-limit decision of {@code kind}. */
  void rateLimited(RateLimitKind kind, boolean granted) {
    (granted ? allowed : denied)[kind.ordinal()].increment();
  }

  long allowed(RateLimitKind kind) {
    return allowed[kind.ordinal()].sum();
  }

  long denied(RateLimitKind kind) {
    return denied[kind.ordinal()].sum();
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] out = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      out[i] = new LongAdder();
    }
    return out;
  }
}
