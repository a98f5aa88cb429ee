package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * A {@code BenchMain cluster} run as Markdown: every round's rows, then the medians of each
 * configuration with their spread (lowest–highest), then Redis's commands per notification by name.
 */
record ClusterReport(
    MachineFacts machine,
    String commandLine,
    FanoutSettings settings,
    int processes,
    int inflight,
    List<ClusterLayout> layouts,
    List<ClusterResult> results) {

  /** A command below this many calls per notification goes into "others" by name only. */
  private static final double SHOWN_CALLS = 0.005;

  ClusterReport {
    layouts = List.copyOf(layouts);
    results = List.copyOf(results);
  }

  String markdown() {
    StringBuilder md = new StringBuilder("## Several nodes on Redis\n\n");
    md.append(machine.summary()).append("\n\ncommand: `").append(commandLine).append("`\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "workload: %,d devices held by %d node processes (ws), process p on node p %% nodes, all on "
                + "channel \"%s\"; the publisher POSTs to node 1's /api/v1/notifications/channel with %d "
                + "messages in flight, each until every device has it; payload %d bytes; %s s warm-up, "
                + "then %s s measured. Server CPU: the sum of the node JVMs' utime+stime over the measured "
                + "messages, per delivery received; Redis: its utime+stime and INFO commandstats deltas "
                + "over the same window (INFO cpu commandstats), per notification published; in parentheses what the nodes and Redis did idle "
                + "(2 s with nothing published just before the warm-up) over as long as the window. Script µs: evalsha usec. Node CPU split: each node's share, node 1 (the publisher's) first. Server writes: the node JVMs' write system calls (/proc/<pid>/io syscw) per delivery. Each configuration with fresh "
                + "processes; odd rounds in the order given, even rounds reversed.%n%n",
            settings.connections(),
            processes,
            FanoutBenchmark.CHANNEL,
            inflight,
            settings.payloadBytes(),
            RpcBenchSettings.plain(settings.warmupSeconds()),
            RpcBenchSettings.plain(settings.seconds())));
    md.append(
        "| round | configuration | messages | deliveries/s | lost | p50 ms | p99 ms | server cores (idle) "
            + "| server µs/delivery | node CPU split % | server writes/delivery | Redis CPU µs/notification (idle) | Redis script µs/notification "
            + "| Redis commands/notification (idle) | evalsha | publish | others |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ClusterResult result : results) {
      switch (result) {
        case ClusterResult.Measured m -> {
          double all = m.callsPerNotification(null);
          double evalsha = m.callsPerNotification("evalsha");
          double publish = m.callsPerNotification("publish");
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %d | %s | %,d | %,.0f | %,d | %.2f | %.2f | %s | %.2f | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                  m.round(),
                  m.layout().label(),
                  m.fanout().messages(),
                  m.deliveriesPerSecond(),
                  m.fanout().lost(),
                  m.fanout().latency().p50ms(),
                  m.fanout().latency().p99ms(),
                  withIdle(
                      "%.2f",
                      m.fanout().seconds() > 0
                          ? m.fanout().serverCpuSeconds() / m.fanout().seconds()
                          : Double.NaN,
                      m.serverIdleCores()),
                  m.serverMicrosPerDelivery(),
                  m.nodeCpuSplit(),
                  num("%.3f", m.writesPerDelivery()),
                  withIdle(
                      "%.1f", m.redisMicrosPerNotification(), m.idleRedisMicrosPerNotification()),
                  num("%.1f", m.scriptMicrosPerNotification()),
                  withIdle("%.2f", all, m.idleCallsPerNotification()),
                  num("%.2f", evalsha),
                  num("%.2f", publish),
                  num("%.2f", all - evalsha - publish)));
        }
        case ClusterResult.Failed f ->
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %d | %s | failed: %s |%n",
                    f.round(),
                    f.layout().label(),
                    f.reason().replace('\n', ' ').replace("|", "\\|")));
      }
    }
    md.append(problems());
    md.append(medians());
    md.append(commandsByName());
    return md.toString();
  }

  /**
   * A line for each window where something other than the counts went wrong, or a line saying
   * nothing did.
   */
  private String problems() {
    StringBuilder md = new StringBuilder();
    for (ClusterResult result : results) {
      if (result instanceof ClusterResult.Measured m) {
        NodeFanoutResult.Measured f = m.fanout();
        if (f.incomplete() + f.strays() + f.closed() + f.malformed() + f.publishErrors() > 0
            || !f.problems().isEmpty()) {
          md.append(
              String.format(
                  Locale.ROOT,
                  "%n- round %d, %s: %,d incomplete, %,d strays, %,d closed, %,d malformed, %,d "
                      + "publish errors; %s",
                  m.round(),
                  m.layout().label(),
                  f.incomplete(),
                  f.strays(),
                  f.closed(),
                  f.malformed(),
                  f.publishErrors(),
                  f.problems()));
        }
      }
    }
    return md.isEmpty()
        ? "\nIn every window: no message incomplete, no stray or malformed delivery, no connection "
            + "closed, no publish error.\n"
        : md.append('\n').toString();
  }

  private String medians() {
    StringBuilder md =
        new StringBuilder(
            "\nMedians over the rounds (lowest–highest); ratios of the medians to the first "
                + "configuration's:\n\n"
                + "| configuration | rounds | deliveries/s | server µs/delivery | × | Redis µs/notification "
                + "| server writes/delivery | Redis script µs/notification | Redis commands/notification "
                + "| p99 ms |\n|---|---|---|---|---|---|---|---|---|---|\n");
    double base = Double.NaN;
    for (ClusterLayout layout : layouts) {
      List<ClusterResult.Measured> rows = measured(layout);
      if (rows.isEmpty()) {
        md.append("| ").append(layout.label()).append(" | 0 | | | | | | | | |\n");
        continue;
      }
      double us = median(rows, ClusterResult.Measured::serverMicrosPerDelivery);
      if (Double.isNaN(base)) {
        base = us;
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %.2f | %s | %s | %s | %s | %s |%n",
              layout.label(),
              rows.size(),
              spread(rows, ClusterResult.Measured::deliveriesPerSecond, "%,.0f"),
              spread(rows, ClusterResult.Measured::serverMicrosPerDelivery, "%.2f"),
              us / base,
              spread(rows, ClusterResult.Measured::redisMicrosPerNotification, "%.1f"),
              spread(rows, ClusterResult.Measured::writesPerDelivery, "%.3f"),
              spread(rows, ClusterResult.Measured::scriptMicrosPerNotification, "%.1f"),
              spread(rows, m -> m.callsPerNotification(null), "%.2f"),
              spread(rows, m -> m.fanout().latency().p99ms(), "%.2f")));
    }
    return md.toString();
  }

  /** Every round of a configuration summed: calls of each command per notification. */
  private String commandsByName() {
    StringBuilder md =
        new StringBuilder(
            "\nRedis commands per notification by name (all rounds; from scripts counted too):\n\n");
    for (ClusterLayout layout : layouts) {
      List<ClusterResult.Measured> rows = measured(layout);
      if (!layout.redis() || rows.isEmpty()) {
        continue;
      }
      long messages = rows.stream().mapToLong(m -> m.fanout().messages()).sum();
      Map<String, Long> calls = new TreeMap<>();
      rows.forEach(
          m ->
              m.redis()
                  .ifPresent(
                      r -> r.commands().forEach((k, v) -> calls.merge(k, v.calls(), Long::sum))));
      List<String> shown = new ArrayList<>();
      List<String> rare = new ArrayList<>();
      calls.forEach(
          (name, n) -> {
            double per = (double) n / messages;
            if (per >= SHOWN_CALLS) {
              shown.add(String.format(Locale.ROOT, "%s %.3f", name, per));
            } else {
              rare.add(name + " " + n);
            }
          });
      md.append("- ")
          .append(layout.label())
          .append(": ")
          .append(String.join(", ", shown))
          .append(rare.isEmpty() ? "" : "; rarer (calls in all): " + String.join(", ", rare))
          .append('\n');
    }
    return md.toString();
  }

  private List<ClusterResult.Measured> measured(ClusterLayout layout) {
    return results.stream()
        .filter(r -> r.layout().equals(layout))
        .filter(ClusterResult.Measured.class::isInstance)
        .map(ClusterResult.Measured.class::cast)
        .toList();
  }

  private static String spread(
      Collection<ClusterResult.Measured> rows,
      ToDoubleFunction<ClusterResult.Measured> f,
      String format) {
    double[] v = rows.stream().mapToDouble(f).sorted().toArray();
    if (Double.isNaN(v[0])) {
      return "—";
    }
    String median = String.format(Locale.ROOT, format, median(rows, f));
    return v.length == 1
        ? median
        : median
            + String.format(Locale.ROOT, " (" + format + "–" + format + ")", v[0], v[v.length - 1]);
  }

  private static double median(
      Collection<ClusterResult.Measured> rows, ToDoubleFunction<ClusterResult.Measured> f) {
    double[] v = rows.stream().mapToDouble(f).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** "value (idle part)", or a dash in memory. */
  private static String withIdle(String format, double value, double idle) {
    return Double.isNaN(value)
        ? "—"
        : String.format(Locale.ROOT, format + " (" + format + ")", value, idle);
  }

  private static String num(String format, double value) {
    return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, format, value);
  }
}
