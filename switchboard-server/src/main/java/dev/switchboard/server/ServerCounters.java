package dev.switchboard.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the server's own (the gateway counts deliveries); for {@code GET /stats}. Thread-safe. */
final class ServerCounters {
  final LongAdder opened = new LongAdder();
  final LongAdder refusedUpgrades = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder slowConsumers = new LongAdder();
}
