package dev.switchboard.bench;

import java.util.Locale;

/**
 * What {@code bench connections} measured: how long {@code count} idle devices took to connect, and
 * the server's memory before and after, from which the cost of one connection is {@code (after -
 * before) / count}.
 */
record ConnectionsResult(
    int count, long connectNanos, MemorySnapshot before, MemorySnapshot after) {

  double connectSeconds() {
    return connectNanos / 1e9;
  }

  double connectsPerSecond() {
    return connectNanos == 0 ? Double.NaN : count / connectSeconds();
  }

  double heapBytesPerConnection() {
    return perConnection(before.heapBytes(), after.heapBytes());
  }

  /** NaN when {@code /metrics} did not tell the direct memory both times. */
  double directBytesPerConnection() {
    return perConnection(before.directBytes(), after.directBytes());
  }

  /** NaN when {@code /proc} did not tell the RSS both times. */
  double rssBytesPerConnection() {
    return perConnection(before.rssBytes(), after.rssBytes());
  }

  private double perConnection(long was, long is) {
    return was < 0 || is < 0 || count == 0 ? Double.NaN : (is - was) / (double) count;
  }

  /** The result as one JSON object on one line (a figure that could not be measured is null). */
  String jsonLine() {
    return String.format(
        Locale.ROOT,
        "{\"count\":%d,\"connect_seconds\":%.3f,\"connects_per_second\":%s,"
            + "\"heap_bytes_per_connection\":%s,\"direct_bytes_per_connection\":%s,"
            + "\"rss_bytes_per_connection\":%s}",
        count,
        connectSeconds(),
        number(connectsPerSecond()),
        number(heapBytesPerConnection()),
        number(directBytesPerConnection()),
        number(rssBytesPerConnection()));
  }

  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "null";
  }
}
