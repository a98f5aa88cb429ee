package dev.switchboard.bench;

import java.util.Arrays;

/**
 * Round-trip times of calls made one at a time, in microseconds.
 *
 * <p>Percentiles are exact nearest-rank values, {@code sorted[ceil(p * n) - 1]}, the definition the
 * Node peer benchmark ({@code node/rpcws-bench.mjs}) uses, so the two sides are comparable digit
 * for digit.
 */
record SequentialStats(
    int calls, double p50us, double p90us, double p99us, double p999us, double meanUs) {

  /** Summarizes per-call round-trip times given in nanoseconds; {@code nanos} is left unchanged. */
  static SequentialStats ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no round-trip times to summarize");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new SequentialStats(
        sorted.length,
        micros(percentile(sorted, 0.5)),
        micros(percentile(sorted, 0.9)),
        micros(percentile(sorted, 0.99)),
        micros(percentile(sorted, 0.999)),
        micros(sum / sorted.length));
  }

  /** The nearest-rank percentile {@code p} (0 < p <= 1) of ascending {@code sorted}. */
  static long percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, index))];
  }

  /** Nanoseconds to microseconds, rounded to 3 decimals like the Node side. */
  private static double micros(double nanos) {
    return Math.round(nanos) / 1000.0;
  }
}
