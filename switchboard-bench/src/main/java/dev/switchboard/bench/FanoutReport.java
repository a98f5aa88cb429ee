package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The results of one {@code BenchMain fanout} run as a Markdown report (a fan-out table with a row
 * per system and level, a steady-push table with a row per system, the ratios against the goals,
 * then what went wrong per system) and as JSON for tools.
 */
record FanoutReport(
    MachineFacts machine, String command, FanoutSettings settings, List<FanoutResult> results) {

  /**
   * The goals: Switchboard delivers 3x Socket.IO's deliveries/s, and steady-push p99 stays
   * under 10 ms.
   */
  static final double GOAL_THROUGHPUT_RATIO = 3.0;

  static final double GOAL_PUSH_P99_MS = 10.0;

  FanoutReport {
    results = List.copyOf(results);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## Push fan-out benchmark\n\n");
    md.append(machine.summary()).append("\n\n");
    md.append("command: `").append(command).append("`\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "workload: %,d devices (one WebSocket and one user each, all subscribed to "
                + "channel \"%s\") on %d event loop(s) of the benchmark JVM; payload %d bytes of JSON (%s); fan-out: one "
                + "publisher keeping K messages in flight, each until every device has it, K = %s; steady push: %,d sends/s "
                + "to random single users, open loop; %s s warm-up (1 s for later fan-out levels) + %s s measured each; "
                + "loopback. Server CPU: its process; bench: this JVM (devices and publisher); other: the rest of the "
                + "machine's busy time (other processes, kernel work charged to nobody).\n\n",
            settings.connections(),
            FanoutBenchmark.CHANNEL,
            settings.clientThreads(),
            settings.payloadBytes(),
            settings.payload().key(),
            settings.fanoutInflight().stream()
                .map(String::valueOf)
                .collect(Collectors.joining(", ")),
            settings.rate(),
            RpcBenchSettings.plain(settings.warmupSeconds()),
            RpcBenchSettings.plain(settings.seconds())));
    fanoutTable(md);
    pushTable(md);
    ratios(md);
    md.append("\n### Details\n\n");
    for (FanoutResult result : results) {
      if (result instanceof FanoutResult.Measured m) {
        details(md, m);
      }
    }
    return md.toString();
  }

  private void fanoutTable(StringBuilder md) {
    md.append("Fan-out:\n\n");
    List<String> header =
        List.of(
            "system",
            "connect s",
            "in flight",
            "deliveries/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "lost",
            "server cores",
            "bench cores",
            "other cores",
            "server µs/delivery",
            "bench µs/delivery");
    table(
        md,
        header,
        result ->
            switch (result) {
              case FanoutResult.Measured m when m.fanout().isEmpty() ->
                  List.of(cells(header.size(), m.label(), connect(m), "not run"));
              case FanoutResult.Measured m ->
                  m.fanout().stream()
                      .map(
                          f ->
                              List.of(
                                  m.label(),
                                  connect(m),
                                  Integer.toString(f.inflight()),
                                  number("%,.0f", f.deliveriesPerSecond()),
                                  millis(f.latency().p50ms()),
                                  millis(f.latency().p99ms()),
                                  millis(f.latency().p999ms()),
                                  number("%,d", f.lostReceipts()),
                                  cores(f.cpu().serverCores()),
                                  cores(f.cpu().benchCores()),
                                  cores(f.cpu().otherCores()),
                                  perItem(f.cpu().serverSeconds(), f.receipts()),
                                  perItem(f.cpu().benchSeconds(), f.receipts())))
                      .toList();
              case FanoutResult.NotRun n ->
                  List.of(cells(header.size(), n.label(), "not run: " + n.reason()));
              case FanoutResult.Failed f ->
                  List.of(cells(header.size(), f.label(), "failed: " + f.reason()));
            });
  }

  private void pushTable(StringBuilder md) {
    md.append("\nSteady push:\n\n");
    List<String> header =
        List.of(
            "system",
            "sends/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "misses",
            "server cores",
            "bench cores",
            "other cores",
            "server µs/send");
    table(
        md,
        header,
        result ->
            switch (result) {
              case FanoutResult.Measured m ->
                  List.of(
                      m.push()
                          .map(
                              p ->
                                  List.of(
                                      m.label(),
                                      number("%,.0f", p.sendsPerSecond()),
                                      millis(p.latency().p50ms()),
                                      millis(p.latency().p99ms()),
                                      millis(p.latency().p999ms()),
                                      millis(p.latency().maxMs()),
                                      number("%,d", p.misses()),
                                      cores(p.cpu().serverCores()),
                                      cores(p.cpu().benchCores()),
                                      cores(p.cpu().otherCores()),
                                      perItem(p.cpu().serverSeconds(), p.sends())))
                          .orElse(cells(header.size(), m.label(), "not run")));
              case FanoutResult.NotRun n ->
                  List.of(cells(header.size(), n.label(), "not run: " + n.reason()));
              case FanoutResult.Failed f -> List.of(cells(header.size(), f.label(), "failed"));
            });
  }

  private void ratios(StringBuilder md) {
    md.append("\n### Ratios and goals\n\n");
    Optional<FanoutResult.Measured> sb = measured(PushSystem.SWITCHBOARD);
    Optional<FanoutResult.Measured> sio = measured(PushSystem.SOCKETIO);
    if (sb.isEmpty() || sio.isEmpty()) {
      md.append("- ratios: n/a (")
          .append(sb.isEmpty() ? "Switchboard" : "Socket.IO")
          .append(" has no numbers in this run)\n");
    }
    for (int k : settings.fanoutInflight()) {
      Optional<FanoutStats> a = sb.flatMap(m -> m.fanoutAt(k));
      Optional<FanoutStats> b = sio.flatMap(m -> m.fanoutAt(k));
      if (a.isPresent() && b.isPresent()) {
        double ratio = ratio(a.get().deliveriesPerSecond(), b.get().deliveriesPerSecond());
        md.append(
            String.format(
                Locale.ROOT,
                "- fan-out, %d in flight: deliveries/s Switchboard / Socket.IO "
                    + "**%.2fx** (goal %.0fx: %s); p99 %s ms vs %s ms (%.2fx; lower is better)%n",
                k,
                ratio,
                GOAL_THROUGHPUT_RATIO,
                ratio >= GOAL_THROUGHPUT_RATIO ? "reached" : "not reached",
                millis(a.get().latency().p99ms()),
                millis(b.get().latency().p99ms()),
                ratio(a.get().latency().p99ms(), b.get().latency().p99ms())));
      }
    }
    Optional<FanoutStats> bestSb = sb.flatMap(FanoutReport::fastest);
    Optional<FanoutStats> bestSio = sio.flatMap(FanoutReport::fastest);
    if (bestSb.isPresent() && bestSio.isPresent()) {
      md.append(
          String.format(
              Locale.ROOT,
              "- fan-out, each at its best level: %s (%d in flight) vs %s (%d in "
                  + "flight) deliveries/s, **%.2fx**%n",
              number("%,.0f", bestSb.get().deliveriesPerSecond()),
              bestSb.get().inflight(),
              number("%,.0f", bestSio.get().deliveriesPerSecond()),
              bestSio.get().inflight(),
              ratio(bestSb.get().deliveriesPerSecond(), bestSio.get().deliveriesPerSecond())));
    }
    Optional<PushStats> sbPush = sb.flatMap(FanoutResult.Measured::push);
    Optional<PushStats> sioPush = sio.flatMap(FanoutResult.Measured::push);
    if (sbPush.isPresent() && sioPush.isPresent()) {
      md.append(
          String.format(
              Locale.ROOT,
              "- steady-push p99: %s ms vs %s ms (%.2fx Socket.IO's; lower is better)%n",
              millis(sbPush.get().latency().p99ms()),
              millis(sioPush.get().latency().p99ms()),
              ratio(sbPush.get().latency().p99ms(), sioPush.get().latency().p99ms())));
    }
    sbPush.ifPresent(
        p ->
            md.append(
                String.format(
                    Locale.ROOT,
                    "- Switchboard steady-push p99 %s ms (goal under %.0f ms: %s)%n",
                    millis(p.latency().p99ms()),
                    GOAL_PUSH_P99_MS,
                    p.latency().count() > 0
                            && p.latency().p99ms() < GOAL_PUSH_P99_MS
                            && p.misses() == 0
                        ? "reached"
                        : "not reached")));
  }

  private static Optional<FanoutStats> fastest(FanoutResult.Measured m) {
    return m.fanout().stream()
        .max((x, y) -> Double.compare(x.deliveriesPerSecond(), y.deliveriesPerSecond()));
  }

  private void details(StringBuilder md, FanoutResult.Measured m) {
    md.append("- ").append(m.label()).append(": ");
    for (FanoutStats f : m.fanout()) {
      md.append(
          String.format(
              Locale.ROOT,
              "fan-out with %d in flight: %,d deliveries in %.3f s (%,.1f messages/s to all devices), %,d messages "
                  + "sent in the window, %,d incomplete, %,d deliveries lost, %,d stray, %,d reordered, %,d publish "
                  + "errors, %,d answers with another delivered_to, max %s ms%s; ",
              f.inflight(),
              f.receipts(),
              f.seconds(),
              f.deliveriesPerSecond() / settings.connections(),
              f.messages(),
              f.incomplete(),
              f.lostReceipts(),
              f.strays(),
              f.reordered(),
              f.publishErrors(),
              f.miscounted(),
              millis(f.latency().maxMs()),
              f.firstError().map(e -> ", first error: " + e).orElse("")));
    }
    m.push()
        .ifPresent(
            p ->
                md.append(
                    String.format(
                        Locale.ROOT,
                        "steady push %,d sends, %,d misses, %,d duplicates, %,d misdelivered, %,d publish errors, %,d answered "
                            + "as undelivered, worst by second %s, publisher at most %s ms behind schedule%s; ",
                        p.sends(),
                        p.misses(),
                        p.duplicates(),
                        p.misdelivered(),
                        p.publishErrors(),
                        p.undelivered(),
                        worstBySecond(p),
                        millis(p.publisherLagMs()),
                        p.firstError().map(e -> ", first error: " + e).orElse(""))));
    md.append(m.dropped()).append(" devices dropped");
    if (!m.problems().isEmpty()) {
      md.append("; device problems: ").append(String.join(" / ", m.problems()));
    }
    md.append('\n');
  }

  /** The worst latency of each second, rounded to whole ms: "[3 2 250 4 ...] ms". */
  private static String worstBySecond(PushStats p) {
    return p.worstBySecondMs().stream()
        .map(ms -> String.format(Locale.ROOT, "%.0f", ms))
        .collect(Collectors.joining(" ", "[", "] ms"));
  }

  /** All results, the settings and the machine, as one JSON object. */
  ObjectNode json() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    machine.writeJson(root.putObject("machine"));
    root.put("command", command);
    ObjectNode s = root.putObject("settings");
    s.put("connections", settings.connections());
    s.put("seconds", settings.seconds());
    s.put("warmupSeconds", settings.warmupSeconds());
    s.put("rate", settings.rate());
    s.put("payloadBytes", settings.payloadBytes());
    s.put("payload", settings.payload().key());
    ArrayNode levels = s.putArray("fanoutInflight");
    settings.fanoutInflight().forEach(levels::add);
    s.put("messageTimeoutSeconds", settings.messageTimeoutSeconds());
    s.put("clientThreads", settings.clientThreads());
    ArrayNode rows = root.putArray("results");
    for (FanoutResult result : results) {
      ObjectNode r = rows.addObject();
      r.put("system", result.system().key());
      r.put("label", result.label());
      switch (result) {
        case FanoutResult.Measured measured -> {
          r.put("status", "measured");
          r.put("connectSeconds", measured.connectSeconds());
          r.put("dropped", measured.dropped());
          ArrayNode problems = r.putArray("problems");
          measured.problems().forEach(problems::add);
          ArrayNode fanout = r.putArray("fanout");
          measured.fanout().forEach(level -> fanoutJson(fanout.addObject(), level));
          measured.push().ifPresent(push -> pushJson(r.putObject("push"), push));
        }
        case FanoutResult.NotRun notRun ->
            r.put("status", "not-run").put("reason", notRun.reason());
        case FanoutResult.Failed failed -> r.put("status", "failed").put("reason", failed.reason());
      }
    }
    ObjectNode ratios = root.putObject("ratios");
    Optional<FanoutResult.Measured> sb = measured(PushSystem.SWITCHBOARD);
    Optional<FanoutResult.Measured> sio = measured(PushSystem.SOCKETIO);
    ObjectNode perLevel = ratios.putObject("deliveriesPerSecondSwitchboardPerSocketIo");
    for (int k : settings.fanoutInflight()) {
      Optional<FanoutStats> a = sb.flatMap(x -> x.fanoutAt(k));
      Optional<FanoutStats> b = sio.flatMap(x -> x.fanoutAt(k));
      if (a.isPresent() && b.isPresent()) {
        perLevel.put(
            Integer.toString(k),
            ratio(a.get().deliveriesPerSecond(), b.get().deliveriesPerSecond()));
      }
    }
    Optional<PushStats> sbPush = sb.flatMap(FanoutResult.Measured::push);
    Optional<PushStats> sioPush = sio.flatMap(FanoutResult.Measured::push);
    if (sbPush.isPresent() && sioPush.isPresent()) {
      ratios.put(
          "pushP99SwitchboardPerSocketIo",
          ratio(sbPush.get().latency().p99ms(), sioPush.get().latency().p99ms()));
    }
    return root;
  }

  private static void fanoutJson(ObjectNode o, FanoutStats f) {
    o.put("inflight", f.inflight());
    o.put("seconds", f.seconds());
    o.put("receipts", f.receipts());
    o.put("deliveriesPerSecond", f.deliveriesPerSecond());
    o.put("messages", f.messages());
    o.put("incomplete", f.incomplete());
    o.put("lostReceipts", f.lostReceipts());
    o.put("strays", f.strays());
    o.put("reordered", f.reordered());
    o.put("publishErrors", f.publishErrors());
    o.put("miscounted", f.miscounted());
    latencyJson(o.putObject("latency"), f.latency());
    cpuJson(o.putObject("cpu"), f.cpu());
    f.firstError().ifPresent(e -> o.put("firstError", e));
  }

  private static void pushJson(ObjectNode o, PushStats p) {
    o.put("sends", p.sends());
    o.put("sendsPerSecond", p.sendsPerSecond());
    o.put("misses", p.misses());
    o.put("duplicates", p.duplicates());
    o.put("misdelivered", p.misdelivered());
    o.put("publishErrors", p.publishErrors());
    o.put("undelivered", p.undelivered());
    o.put("publisherLagMs", p.publisherLagMs());
    latencyJson(o.putObject("latency"), p.latency());
    ArrayNode worst = o.putArray("worstBySecondMs");
    p.worstBySecondMs().forEach(worst::add);
    cpuJson(o.putObject("cpu"), p.cpu());
    p.firstError().ifPresent(e -> o.put("firstError", e));
  }

  private static void cpuJson(ObjectNode o, CpuUsage cpu) {
    o.put("seconds", cpu.seconds());
    cpu.serverSeconds().ifPresent(v -> o.put("serverCpuSeconds", v));
    cpu.benchSeconds().ifPresent(v -> o.put("benchCpuSeconds", v));
    cpu.machineSeconds().ifPresent(v -> o.put("machineBusySeconds", v));
  }

  private static void latencyJson(ObjectNode o, LatencyStats l) {
    o.put("count", l.count());
    o.put("p50ms", l.p50ms());
    o.put("p99ms", l.p99ms());
    o.put("p999ms", l.p999ms());
    o.put("maxMs", l.maxMs());
    o.put("meanMs", l.meanMs());
  }

  private Optional<FanoutResult.Measured> measured(PushSystem system) {
    return results.stream()
        .filter(r -> r.system() == system)
        .flatMap(r -> r instanceof FanoutResult.Measured m ? Stream.of(m) : Stream.empty())
        .findFirst();
  }

  private static String connect(FanoutResult.Measured m) {
    return number("%.1f", m.connectSeconds());
  }

  private static double ratio(double a, double b) {
    return b > 0 ? a / b : Double.NaN;
  }

  private static String millis(double ms) {
    return String.format(Locale.ROOT, "%,.2f", ms);
  }

  private static String number(String format, Object value) {
    return String.format(Locale.ROOT, format, value);
  }

  private static String cores(OptionalDouble cores) {
    return cores.isPresent() ? String.format(Locale.ROOT, "%.2f", cores.getAsDouble()) : "n/a";
  }

  private static String perItem(OptionalDouble cpuSeconds, long items) {
    return cpuSeconds.isPresent() && items > 0
        ? String.format(Locale.ROOT, "%.1f", cpuSeconds.getAsDouble() * 1e6 / items)
        : "n/a";
  }

  /** A row of {@code width} cells: those given, then dashes. */
  private static List<String> cells(int width, String... first) {
    List<String> cells = new ArrayList<>(List.of(first));
    while (cells.size() < width) {
      cells.add("—");
    }
    return cells;
  }

  private void table(
      StringBuilder md, List<String> header, Function<FanoutResult, List<List<String>>> rowsOf) {
    row(md, header);
    List<String> rule = new ArrayList<>(List.of("---"));
    header.stream().skip(1).forEach(h -> rule.add("--:"));
    row(md, rule);
    for (FanoutResult result : results) {
      rowsOf.apply(result).forEach(cells -> row(md, cells));
    }
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append("| ");
    md.append(String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()));
    md.append(" |\n");
  }
}
