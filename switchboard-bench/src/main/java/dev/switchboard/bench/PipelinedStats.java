package dev.switchboard.bench;

/**
 * Throughput with exactly {@code inflight} calls outstanding on one connection: completed calls per
 * second.
 */
record PipelinedStats(int inflight, double callsPerSecond, long calls, double seconds) {

  static PipelinedStats of(int inflight, long calls, long nanos) {
    double seconds = nanos / 1e9;
    return new PipelinedStats(
        inflight,
        Math.round(calls / seconds * 10) / 10.0,
        calls,
        Math.round(seconds * 1000) / 1000.0);
  }
}
