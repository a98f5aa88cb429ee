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

  /** Sockets closed as soon as accepted: {@link ConnectionLimits#maxOpenSockets()} were open. */
  final LongAdder refusedSockets = new LongAdder();

  /**
   * Idle connections closed to make room for new ones at {@link ConnectionLimits#maxOpenSockets()}.
   */
  final LongAdder evictedSockets = new LongAdder();

  /** Connections closed by a header, body, idle or handshake timeout ({@link HttpTimeouts}). */
  final LongAdder timedOutConnections = new LongAdder();
}
