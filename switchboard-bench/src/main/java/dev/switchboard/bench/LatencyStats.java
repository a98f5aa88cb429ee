package dev.switchboard.bench;

/**
 * A latency distribution in milliseconds; {@code count} 0 means nothing was measured (then all
 * values are 0).
 */
record LatencyStats(
    long count, double p50ms, double p99ms, double p999ms, double maxMs, double meanMs) {

  static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);
}
