package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The results of one {@code BenchMain rpc} run as a Markdown report (a table, one row per system,
 * then the ratios that answer "how far is Switchboard from the peer and from the limit?") and as
 * JSON for tools.
 */
record RpcReport(
    MachineFacts machine,
    String command,
    RpcBenchSettings settings,
    Workload workload,
    List<SystemResult> results) {

  RpcReport {
    results = List.copyOf(results);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## Switchboard RPC benchmark\n\n");
    md.append(machine.summary()).append("\n\n");
    md.append("command: `").append(command).append("`\n\n");
    md.append("workload: `echo([payload])`, payload ")
        .append(settings.payloadBytes())
        .append(" ASCII bytes (request frame ")
        .append(workload.requestFrameBytes())
        .append(" bytes); each system first ")
        .append(RpcBenchSettings.plain(settings.prewarmSeconds()))
        .append(" s untimed at the highest K; sequential: ")
        .append(settings.warmupCalls())
        .append(" warmup + ")
        .append(settings.seqCalls())
        .append(
            " timed calls, one at a time; pipelined: exactly K calls in flight on one connection, ")
        .append(RpcBenchSettings.plain(settings.warmupSeconds()))
        .append(" s warmup + ")
        .append(RpcBenchSettings.plain(settings.seconds()))
        .append(" s measured per K; loopback\n\n");

    List<String> header = new ArrayList<>(List.of("system", "p50 µs", "p99 µs", "p99.9 µs"));
    for (int i = 0; i < settings.inflight().size(); i++) {
      header.add((i == 0 ? "calls/s @" : "@") + settings.inflight().get(i));
    }
    row(md, header);
    List<String> rule = new ArrayList<>(List.of("---"));
    header.stream().skip(1).forEach(h -> rule.add("--:"));
    row(md, rule);
    for (SystemResult result : results) {
      List<String> cells = new ArrayList<>(List.of(result.label()));
      switch (result) {
        case SystemResult.Measured m -> {
          cells.add(micros(m.sequential().p50us()));
          cells.add(micros(m.sequential().p99us()));
          cells.add(micros(m.sequential().p999us()));
          for (int k : settings.inflight()) {
            cells.add(m.at(k).map(p -> rate(p.callsPerSecond())).orElse("—"));
          }
        }
        case SystemResult.NotRun n -> fill(cells, header.size(), "not run: " + n.reason());
        case SystemResult.Failed f -> fill(cells, header.size(), "failed: " + f.reason());
      }
      row(md, cells);
    }

    md.append("\n### Ratios\n\n");
    Optional<SystemResult.Measured> sb = measured(SystemId.SWITCHBOARD);
    Optional<SystemResult.Measured> peer = measured(SystemId.RPC_WEBSOCKETS);
    Optional<SystemResult.Measured> raw = measured(SystemId.RAW);
    md.append("- Switchboard / rpc-websockets, pipelined calls/s: ")
        .append(throughputRatios(sb, peer, "rpc-websockets"))
        .append('\n');
    md.append("- Switchboard p99 vs rpc-websockets p99: ");
    if (sb.isPresent() && peer.isPresent()) {
      double a = sb.get().sequential().p99us();
      double b = peer.get().sequential().p99us();
      md.append(micros(a))
          .append(" µs vs ")
          .append(micros(b))
          .append(" µs (")
          .append(ratio(a, b))
          .append("; lower is better)\n");
    } else {
      md.append(missing(sb, peer, "rpc-websockets")).append('\n');
    }
    md.append("- Switchboard / raw echo, pipelined calls/s (share of the stack's limit): ")
        .append(throughputRatios(sb, raw, "the raw echo"))
        .append('\n');
    if (results.stream().anyMatch(r -> r.system() == SystemId.NETTY)) {
      md.append("- Switchboard / raw Netty echo, pipelined calls/s (share of Netty's limit): ")
          .append(throughputRatios(sb, measured(SystemId.NETTY), "the raw Netty echo"))
          .append('\n');
    }
    return md.toString();
  }

  /** All results, the settings and the machine, as one JSON object. */
  ObjectNode json() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    machine.writeJson(root.putObject("machine"));
    root.put("command", command);
    ObjectNode s = root.putObject("settings");
    s.put("payloadBytes", settings.payloadBytes());
    s.put("requestFrameBytes", workload.requestFrameBytes());
    s.put("seqCalls", settings.seqCalls());
    s.put("warmupCalls", settings.warmupCalls());
    s.put("seconds", settings.seconds());
    s.put("warmupSeconds", settings.warmupSeconds());
    s.put("prewarmSeconds", settings.prewarmSeconds());
    ArrayNode levels = s.putArray("inflight");
    settings.inflight().forEach(levels::add);
    ArrayNode rows = root.putArray("results");
    for (SystemResult result : results) {
      ObjectNode r = rows.addObject();
      r.put("system", result.system().key());
      r.put("label", result.label());
      switch (result) {
        case SystemResult.Measured measured -> {
          r.put("status", "measured");
          SequentialStats q = measured.sequential();
          ObjectNode seq = r.putObject("sequential");
          seq.put("calls", q.calls());
          seq.put("p50us", q.p50us());
          seq.put("p90us", q.p90us());
          seq.put("p99us", q.p99us());
          seq.put("p999us", q.p999us());
          seq.put("meanUs", q.meanUs());
          ArrayNode pipe = r.putArray("pipelined");
          for (PipelinedStats p : measured.pipelined()) {
            pipe.addObject()
                .put("inflight", p.inflight())
                .put("callsPerSecond", p.callsPerSecond())
                .put("calls", p.calls())
                .put("seconds", p.seconds());
          }
        }
        case SystemResult.NotRun notRun ->
            r.put("status", "not-run").put("reason", notRun.reason());
        case SystemResult.Failed failed -> r.put("status", "failed").put("reason", failed.reason());
      }
    }
    ObjectNode ratios = root.putObject("ratios");
    Optional<SystemResult.Measured> sb = measured(SystemId.SWITCHBOARD);
    putThroughputRatios(
        ratios.putObject("switchboardPerRpcWebsockets"), sb, measured(SystemId.RPC_WEBSOCKETS));
    putThroughputRatios(ratios.putObject("switchboardPerRawEcho"), sb, measured(SystemId.RAW));
    putThroughputRatios(ratios.putObject("switchboardPerNettyEcho"), sb, measured(SystemId.NETTY));
    if (sb.isPresent() && measured(SystemId.RPC_WEBSOCKETS).isPresent()) {
      ratios.put(
          "p99SwitchboardPerRpcWebsockets",
          sb.get().sequential().p99us()
              / measured(SystemId.RPC_WEBSOCKETS).get().sequential().p99us());
    }
    return root;
  }

  private Optional<SystemResult.Measured> measured(SystemId system) {
    return results.stream()
        .filter(r -> r.system() == system)
        .flatMap(r -> r instanceof SystemResult.Measured m ? Stream.of(m) : Stream.empty())
        .findFirst();
  }

  private String throughputRatios(
      Optional<SystemResult.Measured> a, Optional<SystemResult.Measured> b, String bName) {
    if (a.isEmpty() || b.isEmpty()) {
      return missing(a, b, bName);
    }
    List<String> parts = new ArrayList<>();
    for (int k : settings.inflight()) {
      parts.add("@" + k + " " + pairRatio(a.get(), b.get(), k, PipelinedStats::callsPerSecond));
    }
    return String.join(", ", parts);
  }

  private void putThroughputRatios(
      ObjectNode out, Optional<SystemResult.Measured> a, Optional<SystemResult.Measured> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return;
    }
    for (int k : settings.inflight()) {
      Optional<PipelinedStats> x = a.get().at(k);
      Optional<PipelinedStats> y = b.get().at(k);
      if (x.isPresent() && y.isPresent() && y.get().callsPerSecond() > 0) {
        out.put(Integer.toString(k), x.get().callsPerSecond() / y.get().callsPerSecond());
      }
    }
  }

  private static String pairRatio(
      SystemResult.Measured a,
      SystemResult.Measured b,
      int k,
      ToDoubleFunction<PipelinedStats> value) {
    Optional<PipelinedStats> x = a.at(k);
    Optional<PipelinedStats> y = b.at(k);
    if (x.isEmpty() || y.isEmpty()) {
      return "n/a";
    }
    return ratio(value.applyAsDouble(x.get()), value.applyAsDouble(y.get()));
  }

  private static String missing(
      Optional<SystemResult.Measured> a, Optional<SystemResult.Measured> b, String bName) {
    return "n/a (" + (a.isEmpty() ? "Switchboard" : bName) + " has no numbers in this run)";
  }

  static String ratio(double a, double b) {
    return b > 0 ? String.format(Locale.ROOT, "%.2fx", a / b) : "n/a";
  }

  static String micros(double us) {
    return String.format(Locale.ROOT, "%,.1f", us);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  private static void fill(List<String> cells, int width, String first) {
    cells.add(first);
    while (cells.size() < width) {
      cells.add("—");
    }
  }

  static void row(StringBuilder md, List<String> cells) {
    md.append("| ");
    md.append(String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()));
    md.append(" |\n");
  }
}
