package dev.switchboard.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies in nanoseconds, in an HdrHistogram with three significant digits: a reported percentile
 * is at most 0.1% above the true value and never below it (and never above the largest value
 * recorded); the mean and the maximum are exact.
 *
 * <p>Thread-safe: any thread may {@link #record} while others record; read the percentiles once
 * recording has stopped (values recorded concurrently with a read may or may not be counted).
 */
final class LatencyHistogram {

  private final Histogram histogram = new ConcurrentHistogram(3);
  private final LongAdder sum = new LongAdder();
  private final AtomicLong max = new AtomicLong();

  /** Counts one latency; negative values (clock trouble) count as 0. */
  void record(long nanos) {
    long value = Math.max(0, nanos);
    histogram.recordValue(value);
    sum.add(value);
    if (value > max.get()) {
      max.accumulateAndGet(value, Math::max);
    }
  }

  long count() {
    return histogram.getTotalCount();
  }

  long maxNanos() {
    return max.get();
  }

  double meanNanos() {
    long n = count();
    return n == 0 ? 0 : (double) sum.sum() / n;
  }

  /**
   * The percentile {@code p} (0 < p <= 1): the highest value equivalent to the sample of that rank,
   * capped at the largest value recorded.
   *
   * @throws IllegalStateException when nothing was recorded
   */
  long percentileNanos(double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("percentile must be in (0, 1], got " + p);
    }
    if (count() == 0) {
      throw new IllegalStateException("no latency recorded");
    }
    return Math.min(histogram.getValueAtPercentile(p * 100), max.get());
  }

  /** A summary in milliseconds, or empty values when nothing was recorded. */
  LatencyStats stats() {
    long n = count();
    if (n == 0) {
      return LatencyStats.EMPTY;
    }
    return new LatencyStats(
        n,
        millis(percentileNanos(0.5)),
        millis(percentileNanos(0.99)),
        millis(percentileNanos(0.999)),
        millis(maxNanos()),
        millis(meanNanos()));
  }

  /** Milliseconds with three decimals (microsecond resolution). */
  private static double millis(double nanos) {
    return Math.round(nanos / 1_000) / 1_000.0;
  }
}
