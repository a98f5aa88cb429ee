package dev.switchboard.server;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations for a path that records once per delivery: a record is a
 * bucket search and two {@link LongAdder} adds, which threads recording at once do not contend on.
 * Micrometer's timer also keeps a sliding maximum and a ring of bucket arrays; on the fan-out path
 * that was 3.4% of the server's CPU samples (docs/benchmarks.md, "What observability costs"), this
 * is a few nanoseconds. It has no {@code _max}; the buckets answer what a maximum would.
 */
final class SecondsHistogram implements Collector {

  private final String name;
  private final String help;
  private final long[] boundsNanos;
  private final double[] boundsSeconds;

  /** One per bound, then one for beyond the last ({@code +Inf}); not cumulative. */
  private final LongAdder[] counts;

  private final LongAdder sumNanos = new LongAdder();

  /**
   * @param name the family name, ending in {@code _seconds}
   * @param bounds the buckets' upper bounds (inclusive), ascending
   */
  SecondsHistogram(String name, String help, Duration... bounds) {
    this.name = name;
    this.help = help;
    this.boundsNanos = new long[bounds.length];
    this.boundsSeconds = new double[bounds.length + 1];
    this.counts = new LongAdder[bounds.length + 1];
    for (int i = 0; i < bounds.length; i++) {
      boundsNanos[i] = bounds[i].toNanos();
      boundsSeconds[i] = bounds[i].toNanos() / 1e9;
      if (i > 0 && boundsNanos[i] <= boundsNanos[i - 1]) {
        throw new IllegalArgumentException("bounds must ascend: " + java.util.List.of(bounds));
      }
    }
    boundsSeconds[bounds.length] = Double.POSITIVE_INFINITY;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Counts one duration of {@code nanos} (a negative one as 0). */
  void record(long nanos) {
    long value = Math.max(0, nanos);
    int i = 0;
    while (i < boundsNanos.length && value > boundsNanos[i]) {
      i++;
    }
    counts[i].increment();
    sumNanos.add(value);
  }

  /** Durations counted so far. */
  long count() {
    long total = 0;
    for (LongAdder c : counts) {
      total += c.sum();
    }
    return total;
  }

  @Override
  public MetricSnapshot collect() {
    long[] perBucket = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      perBucket[i] = counts[i].sum();
    }
    return HistogramSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(
            HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(boundsSeconds, perBucket))
                .sum(sumNanos.sum() / 1e9)
                .build())
        .build();
  }
}
