package dev.switchboard.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pass/fail rules of every profile: Ara's k6 thresholds (connect success above 95%, message
 * latency p95 under 100 ms and p99 under 500 ms, HTTP p95 under 50 ms and p99 under 100 ms, HTTP
 * failures under 1%), and one of ours: every delivery the server reported ({@code delivered_to})
 * reached its device.
 */
final class Thresholds {

  static final double CONNECT_SUCCESS_PERCENT = 95;
  static final double MESSAGE_P95_MS = 100;
  static final double MESSAGE_P99_MS = 500;
  static final double HTTP_P95_MS = 50;
  static final double HTTP_P99_MS = 100;
  static final double HTTP_FAILED_PERCENT = 1;

  private Thresholds() {}

  /** Judges a run's totals. */
  static List<Threshold> judge(
      long attempts,
      long connected,
      long sent,
      long httpFailed,
      long expected,
      long received,
      Percentiles message,
      Percentiles http) {
    List<Threshold> rules = new ArrayList<>();
    double connectPercent = attempts == 0 ? 0 : 100.0 * connected / attempts;
    rules.add(
        new Threshold(
            "device connects that succeeded",
            "> " + number(CONNECT_SUCCESS_PERCENT) + "%",
            percent(connectPercent) + " (" + connected + " of " + attempts + ")",
            connectPercent > CONNECT_SUCCESS_PERCENT));
    rules.add(latency("message latency p95", message.count(), message.p95Ms(), MESSAGE_P95_MS));
    rules.add(latency("message latency p99", message.count(), message.p99Ms(), MESSAGE_P99_MS));
    rules.add(latency("HTTP send latency p95", http.count(), http.p95Ms(), HTTP_P95_MS));
    rules.add(latency("HTTP send latency p99", http.count(), http.p99Ms(), HTTP_P99_MS));
    double failedPercent = sent == 0 ? 0 : 100.0 * httpFailed / sent;
    rules.add(
        new Threshold(
            "HTTP sends that failed",
            "< " + number(HTTP_FAILED_PERCENT) + "%",
            percent(failedPercent) + " (" + httpFailed + " of " + sent + ")",
            sent > 0 && failedPercent < HTTP_FAILED_PERCENT));
    rules.add(
        new Threshold(
            "deliveries the server reported that reached a device",
            "all",
            received + " of " + expected,
            expected > 0 && received >= expected));
    return rules;
  }

  private static Threshold latency(String name, long count, double measuredMs, double limitMs) {
    return new Threshold(
        name,
        "< " + number(limitMs) + " ms",
        count == 0 ? "nothing measured" : String.format(Locale.ROOT, "%.1f ms", measuredMs),
        count > 0 && measuredMs < limitMs);
  }

  private static String percent(double p) {
    return String.format(Locale.ROOT, "%.2f%%", p);
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
