package dev.switchboard.bench.load;

/**
 * The latency rules of a run, in milliseconds, as the latency plot draws them (dashed lines): the
 * message latency's p95 and p99 (HTTP send start to the device reading it) and the HTTP send
 * latency's p95 and p99. A limit of 0 or less (or NaN) is not drawn.
 *
 * @param messageP95Ms the message latency's p95 limit
 * @param messageP99Ms the message latency's p99 limit
 * @param httpP95Ms the HTTP send latency's p95 limit
 * @param httpP99Ms the HTTP send latency's p99 limit
 */
public record LatencyLimits(
    double messageP95Ms, double messageP99Ms, double httpP95Ms, double httpP99Ms) {}
