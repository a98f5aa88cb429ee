package dev.switchboard.bench;

/**
 * One workload of the independent-client half of {@code BenchMain rpc}: {@code connections}
 * WebSockets, each with exactly {@code inflightPerConnection} calls in flight. One connection with
 * one call in flight is the sequential workload, whose latency is a round trip with nothing queued
 * in front of it.
 *
 * @param key a short name for JSON and progress lines
 * @param title the heading of its table
 */
record WsWorkload(String key, String title, int connections, int inflightPerConnection) {

  WsWorkload {
    if (connections < 1 || inflightPerConnection < 1) {
      throw new IllegalArgumentException(
          "a workload needs at least 1 connection and 1 call in flight, got "
              + connections
              + " x "
              + inflightPerConnection);
    }
  }

  /** (a) One connection, {@code inflight} calls in flight: what one busy client gets through. */
  static WsWorkload pipelined(int inflight) {
    return new WsWorkload(
        "pipelined", "one connection, " + inflight + " calls in flight", 1, inflight);
  }

  /** (b) One call at a time on one connection: round-trip latency. */
  static WsWorkload sequential() {
    return new WsWorkload("sequential", "sequential calls on one connection", 1, 1);
  }

  /** (c) Many connections with a few calls in flight on each: many clients at once. */
  static WsWorkload manyConnections(int connections, int inflightPerConnection) {
    return new WsWorkload(
        "connections",
        connections + " connections, " + inflightPerConnection + " calls in flight on each",
        connections,
        inflightPerConnection);
  }

  boolean isSequential() {
    return connections == 1 && inflightPerConnection == 1;
  }
}
