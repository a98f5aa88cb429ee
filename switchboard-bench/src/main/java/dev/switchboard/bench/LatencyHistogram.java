package dev.switchboard.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies in nanoseconds, counted in log-linear buckets (the layout of HdrHistogram with two significant
 * digits): values below 128 ns each have a bucket, above that every power of two is cut into 64 equal buckets, so
 * a reported percentile is at most 1/64 (1.6%) above the true value and never below it. Fixed size (about 29 KiB),
 * whatever the number of samples.
 *
 * <p>Thread-safe: any thread may {@link #record} while others record; read the percentiles once recording has
 * stopped (values recorded concurrently with a read may or may not be counted).
 */
final class LatencyHistogram {

  private static final int EXACT = 128;
  private static final int SUB_BUCKETS = 64;
  private static final int SUB_BITS = 6;
  private static final int BUCKETS = EXACT + (Long.SIZE - SUB_BITS - 1) * SUB_BUCKETS;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final LongAdder total = new LongAdder();
  private final LongAdder sum = new LongAdder();
  private final AtomicLong max = new AtomicLong();

  /** Counts one latency; negative values (clock trouble) count as 0. */
  void record(long nanos) {
    long value = Math.max(0, nanos);
    counts.incrementAndGet(bucket(value));
    total.increment();
    sum.add(value);
    if (value > max.get()) {
      max.accumulateAndGet(value, Math::max);
    }
  }

  long count() {
    return total.sum();
  }

  long maxNanos() {
    return max.get();
  }

  double meanNanos() {
    long n = count();
    return n == 0 ? 0 : (double) sum.sum() / n;
  }

  /**
   * The nearest-rank percentile {@code p} (0 < p <= 1): the highest value of the bucket that holds the sample of
   * rank {@code ceil(p * n)}, capped at the largest value recorded.
   *
   * @throws IllegalStateException when nothing was recorded
   */
  long percentileNanos(double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("percentile must be in (0, 1], got " + p);
    }
    long n = count();
    if (n == 0) {
      throw new IllegalStateException("no latency recorded");
    }
    long rank = Math.max(1, (long) Math.ceil(p * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.min(highestIn(i), maxNanos());
      }
    }
    return maxNanos();
  }

  /** A summary in milliseconds, or empty values when nothing was recorded. */
  LatencyStats stats() {
    long n = count();
    if (n == 0) {
      return LatencyStats.EMPTY;
    }
    return new LatencyStats(n, millis(percentileNanos(0.5)), millis(percentileNanos(0.99)),
        millis(percentileNanos(0.999)), millis(maxNanos()), millis(meanNanos()));
  }

  static int bucket(long value) {
    if (value < EXACT) {
      return (int) value;
    }
    int shift = (Long.SIZE - 1 - Long.numberOfLeadingZeros(value)) - SUB_BITS;
    long top = value >>> shift; // in [64, 128)
    return EXACT + (shift - 1) * SUB_BUCKETS + (int) (top - SUB_BUCKETS);
  }

  static long highestIn(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    int shift = (bucket - EXACT) / SUB_BUCKETS + 1;
    long top = (bucket - EXACT) % SUB_BUCKETS + SUB_BUCKETS;
    long highest = ((top + 1) << shift) - 1;
    return highest < 0 ? Long.MAX_VALUE : highest;
  }

  /** Milliseconds with three decimals (microsecond resolution). */
  private static double millis(double nanos) {
    return Math.round(nanos / 1_000) / 1_000.0;
  }
}
