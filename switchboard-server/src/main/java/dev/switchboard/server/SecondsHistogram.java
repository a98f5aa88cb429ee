package dev.switchboard.server;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations for paths that record once per delivery or per call: a record
 * is a bucket search and two {@link LongAdder} adds, which threads recording at once do not contend
 * on. Micrometer's timer also keeps a sliding maximum and a ring of bucket arrays: 3.4% of the
 * server's CPU samples on the fan-out path, 3.7% on the RPC path (docs/benchmarks.md, "What
 * observability costs"); this is a few nanoseconds. It has no {@code _max}; the buckets answer what
 * a maximum would.
 *
 * <p>A family has fixed label names; each set of label values is a {@link Child}, made once and
 * kept (callers keep label values bounded, see docs/observability.md).
 */
final class SecondsHistogram implements Collector {

  private final String name;
  private final String help;
  private final List<String> labelNames;
  private final long[] boundsNanos;
  private final double[] boundsSeconds;
  private final ConcurrentHashMap<List<String>, Child> children = new ConcurrentHashMap<>();

  /**
   * @param name the family name, ending in {@code _seconds}
   * @param labelNames the names of its labels, none for a single series
   * @param bounds the buckets' upper bounds (inclusive), ascending
   */
  SecondsHistogram(String name, String help, List<String> labelNames, Duration... bounds) {
    this.name = name;
    this.help = help;
    this.labelNames = List.copyOf(labelNames);
    this.boundsNanos = new long[bounds.length];
    this.boundsSeconds = new double[bounds.length + 1];
    for (int i = 0; i < bounds.length; i++) {
      boundsNanos[i] = bounds[i].toNanos();
      boundsSeconds[i] = bounds[i].toNanos() / 1e9;
      if (i > 0 && boundsNanos[i] <= boundsNanos[i - 1]) {
        throw new IllegalArgumentException("bounds must ascend: " + List.of(bounds));
      }
    }
    boundsSeconds[bounds.length] = Double.POSITIVE_INFINITY;
  }

  /** The series of {@code values}, one per label name, made on first use. */
  Child labels(String... values) {
    if (values.length != labelNames.size()) {
      throw new IllegalArgumentException(
          name + " takes labels " + labelNames + ", got " + values.length + " values");
    }
    return children.computeIfAbsent(List.of(values), v -> new Child());
  }

  /** One series: its counts per bucket and its sum. */
  final class Child {
    /** One per bound, then one for beyond the last ({@code +Inf}); not cumulative. */
    private final LongAdder[] counts = new LongAdder[boundsNanos.length + 1];

    private final LongAdder sumNanos = new LongAdder();

    private Child() {
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

    private HistogramSnapshot.HistogramDataPointSnapshot snapshot(List<String> values) {
      long[] perBucket = new long[counts.length];
      for (int i = 0; i < counts.length; i++) {
        perBucket[i] = counts[i].sum();
      }
      return HistogramSnapshot.HistogramDataPointSnapshot.builder()
          .labels(Labels.of(labelNames, values))
          .classicHistogramBuckets(ClassicHistogramBuckets.of(boundsSeconds, perBucket))
          .sum(sumNanos.sum() / 1e9)
          .build();
    }
  }

  @Override
  public MetricSnapshot collect() {
    HistogramSnapshot.Builder out = HistogramSnapshot.builder().name(name).help(help);
    children.forEach((values, child) -> out.dataPoint(child.snapshot(values)));
    return out.build();
  }
}
