package dev.switchboard.bench.load;

/** Latencies of one kind over some span, in milliseconds; {@code count} 0 means none measured. */
public record Percentiles(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

  public static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);
}
