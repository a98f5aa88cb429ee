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
import java.util.stream.Stream;

/**
 * The independent-client half of {@code BenchMain rpc} as Markdown (one table per workload, a row
 * per system and compression choice, then the ratios between the systems the run has: Switchboard
 * against rpc-websockets and the raw echoes, the raw echoes against each other and rpc-websockets)
 * and as JSON.
 */
record WsRpcTable(
    MachineFacts machine,
    String command,
    RpcBenchSettings rpc,
    WsClientSettings ws,
    List<WsSystemRun> runs) {

  /** A line under each table, {@code over} ÷ {@code under}, when the run has both systems. */
  private record Ratio(String title, SystemId over, SystemId under, boolean withP99) {}

  private static final List<Ratio> RATIOS =
      List.of(
          new Ratio(
              "Switchboard / rpc-websockets", SystemId.SWITCHBOARD, SystemId.RPC_WEBSOCKETS, true),
          new Ratio(
              "Switchboard / raw Vert.x echo (share of the stack's limit)",
              SystemId.SWITCHBOARD,
              SystemId.RAW,
              false),
          new Ratio(
              "Switchboard / raw Netty echo (share of Netty's limit)",
              SystemId.SWITCHBOARD,
              SystemId.NETTY,
              false),
          new Ratio(
              "raw Vert.x echo / raw Netty echo (what Vert.x's WebSocket layer adds)",
              SystemId.RAW,
              SystemId.NETTY,
              false),
          new Ratio(
              "raw Netty echo / rpc-websockets (the floor for Switchboard's CPU/call)",
              SystemId.NETTY,
              SystemId.RPC_WEBSOCKETS,
              false),
          new Ratio(
              "raw Netty echo, flush per frame / per read batch",
              SystemId.NETTY_FLUSH_EACH,
              SystemId.NETTY,
              false));

  WsRpcTable {
    runs = List.copyOf(runs);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## RPC with an independent client (Node ws)\n\n");
    md.append(machine.summary()).append("\n\n");
    md.append("command: `").append(command).append("`\n\n");
    Optional<WsClientResult> any =
        runs.stream()
            .flatMap(r -> r.cells().stream())
            .flatMap(c -> c instanceof WsCell.Measured m ? Stream.of(m.client()) : Stream.empty())
            .findFirst();
    String offer =
        runs.stream()
            .flatMap(r -> r.cells().stream())
            .flatMap(
                c ->
                    c instanceof WsCell.Measured m && m.offered()
                        ? Stream.of(m.client().offer())
                        : Stream.empty())
            .findFirst()
            .orElse("permessage-deflate");
    md.append("client: ")
        .append(any.map(c -> "ws " + c.wsVersion() + " on node " + c.node()).orElse("ws"))
        .append(
            ", a new node process per cell, ws's defaults: compression *offered* (`Sec-WebSocket-Extensions: ")
        .append(offer)
        .append("`) or *not offered* (`perMessageDeflate: false`); one frame per message; request ")
        .append("`{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"<")
        .append(rpc.payloadBytes())
        .append(" ASCII bytes>\"],\"id\":N}`; each system in a fresh server process, first ")
        .append(RpcBenchSettings.plain(ws.prewarmSeconds()))
        .append(" s of (a) untimed, then per cell ")
        .append(RpcBenchSettings.plain(ws.warmupSeconds()))
        .append(" s warmup + ")
        .append(RpcBenchSettings.plain(ws.seconds()))
        .append(" s measured. *server µs CPU/call*: the server process's ")
        .append(
            "utime + stime over the measured window ÷ correct answers; latency: each answer from its request's ")
        .append(
            "send, exact nearest-rank; *cores*: CPU time over the window ÷ its length, for the server, the client, and ")
        .append(
            "everything else on the machine (other processes, kernel work charged to none); loopback.\n");

    List<WsWorkload> workloads = ws.workloads();
    for (int i = 0; i < workloads.size(); i++) {
      WsWorkload workload = workloads.get(i);
      md.append("\n### (")
          .append((char) ('a' + i))
          .append(") ")
          .append(workload.title())
          .append("\n\n");
      table(md, workload);
      md.append('\n');
      for (Ratio ratio : RATIOS) {
        Optional<WsSystemRun> over = run(ratio.over());
        Optional<WsSystemRun> under = run(ratio.under());
        if (over.isPresent() && under.isPresent()) {
          md.append("- ")
              .append(ratio.title())
              .append(": ")
              .append(ratios(workload, over.get(), under.get(), ratio.withP99()))
              .append('\n');
        }
      }
      errors(md, workload);
    }
    return md.toString();
  }

  private void table(StringBuilder md, WsWorkload workload) {
    List<String> header =
        List.of(
            "system",
            "compression",
            "server's answer",
            "calls/s",
            "p50 µs",
            "p99 µs",
            "p99.9 µs",
            "server µs CPU/call",
            "cores: server / client / other",
            "errors");
    RpcReport.row(md, header);
    List<String> rule = new ArrayList<>(List.of("---", "---", "---"));
    header.stream().skip(3).forEach(h -> rule.add("--:"));
    RpcReport.row(md, rule);
    for (WsSystemRun run : runs) {
      for (boolean offered : List.of(true, false)) {
        List<String> cells =
            new ArrayList<>(List.of(run.label(), offered ? "offered" : "not offered"));
        switch (run.cell(workload, offered).orElseThrow()) {
          case WsCell.Measured m -> {
            String ext = m.client().extensions();
            cells.add(!ext.isEmpty() ? "accepted: `" + ext + "`" : offered ? "declined" : "—");
            cells.add(RpcReport.rate(m.client().callsPerSecond()));
            cells.add(latency(m, WsClientResult.Latency::p50us));
            cells.add(latency(m, WsClientResult.Latency::p99us));
            cells.add(latency(m, WsClientResult.Latency::p999us));
            cells.add(number(m.serverMicrosPerCall(), "%,.1f"));
            cells.add(
                number(m.server().serverCores(), "%.2f")
                    + " / "
                    + String.format(Locale.ROOT, "%.2f", m.client().clientCores())
                    + " / "
                    + number(m.otherCores(), "%.2f"));
            cells.add(Long.toString(m.client().errors()));
          }
          case WsCell.NotRun n -> fill(cells, header.size(), "not run: " + n.reason());
          case WsCell.Failed f -> fill(cells, header.size(), "failed: " + f.reason());
        }
        RpcReport.row(md, cells);
      }
    }
  }

  /**
   * calls/s, server CPU per call (and p99) of {@code over} against {@code under}, offered then not
   * offered.
   */
  private String ratios(WsWorkload workload, WsSystemRun over, WsSystemRun under, boolean withP99) {
    List<String> parts = new ArrayList<>();
    for (boolean offered : List.of(true, false)) {
      Optional<WsCell.Measured> a = over.measured(workload, offered);
      Optional<WsCell.Measured> b = under.measured(workload, offered);
      String head = offered ? "compression offered: " : "not offered: ";
      if (a.isEmpty() || b.isEmpty()) {
        parts.add(head + "n/a (" + (a.isEmpty() ? over : under).label() + " has no numbers)");
        continue;
      }
      WsCell.Measured x = a.get();
      WsCell.Measured y = b.get();
      StringBuilder s = new StringBuilder(head);
      s.append("calls/s **")
          .append(RpcReport.ratio(x.client().callsPerSecond(), y.client().callsPerSecond()))
          .append("**, server CPU/call ")
          .append(ratio(x.serverMicrosPerCall(), y.serverMicrosPerCall()));
      if (withP99) {
        s.append(", p99 ").append(ratio(p99(x), p99(y)));
      }
      parts.add(s.toString());
    }
    return String.join("; ", parts) + (withP99 ? " (CPU and p99: lower is better)" : "");
  }

  private void errors(StringBuilder md, WsWorkload workload) {
    for (WsSystemRun run : runs) {
      for (boolean offered : List.of(true, false)) {
        run.measured(workload, offered)
            .filter(m -> m.client().errors() > 0 || m.client().firstError().isPresent())
            .ifPresent(
                m ->
                    md.append("- errors, ")
                        .append(run.label())
                        .append(offered ? ", offered: " : ", not offered: ")
                        .append(m.client().errors())
                        .append(" in the window, the first: `")
                        .append(m.client().firstError().orElse("?"))
                        .append("`\n"));
      }
    }
  }

  /** Every cell, the settings and the machine, as one JSON object. */
  ObjectNode json() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode s = root.putObject("settings");
    s.put("payloadBytes", rpc.payloadBytes());
    s.put("seconds", ws.seconds());
    s.put("warmupSeconds", ws.warmupSeconds());
    s.put("prewarmSeconds", ws.prewarmSeconds());
    ArrayNode cells = root.putArray("cells");
    for (WsSystemRun run : runs) {
      for (WsCell cell : run.cells()) {
        ObjectNode c = cells.addObject();
        c.put("system", run.system().key());
        c.put("label", run.label());
        c.put("workload", cell.workload().key());
        c.put("connections", cell.workload().connections());
        c.put("inflightPerConnection", cell.workload().inflightPerConnection());
        c.put("compressionOffered", cell.offered());
        switch (cell) {
          case WsCell.Measured m -> {
            WsClientResult r = m.client();
            c.put("status", "measured");
            c.put("ws", r.wsVersion())
                .put("node", r.node())
                .put("offer", r.offer())
                .put("extensions", r.extensions());
            c.put("calls", r.calls())
                .put("seconds", r.seconds())
                .put("callsPerSecond", r.callsPerSecond());
            r.latency()
                .ifPresent(
                    l ->
                        c.putObject("latency")
                            .put("samples", l.samples())
                            .put("p50us", l.p50us())
                            .put("p90us", l.p90us())
                            .put("p99us", l.p99us())
                            .put("p999us", l.p999us())
                            .put("maxUs", l.maxUs())
                            .put("meanUs", l.meanUs()));
            m.server().serverSeconds().ifPresent(v -> c.put("serverCpuSeconds", v));
            m.serverMicrosPerCall().ifPresent(v -> c.put("serverMicrosPerCall", v));
            c.put("clientCpuSeconds", r.clientCpuSeconds());
            m.otherCores().ifPresent(v -> c.put("otherCores", v));
            c.put("errors", r.errors());
            r.firstError().ifPresent(e -> c.put("firstError", e));
          }
          case WsCell.NotRun n -> c.put("status", "not-run").put("reason", n.reason());
          case WsCell.Failed f -> c.put("status", "failed").put("reason", f.reason());
        }
      }
    }
    return root;
  }

  private Optional<WsSystemRun> run(SystemId system) {
    return runs.stream().filter(r -> r.system() == system).findFirst();
  }

  private static OptionalDouble p99(WsCell.Measured m) {
    return m.client()
        .latency()
        .map(l -> OptionalDouble.of(l.p99us()))
        .orElse(OptionalDouble.empty());
  }

  private static String ratio(OptionalDouble a, OptionalDouble b) {
    return a.isPresent() && b.isPresent()
        ? RpcReport.ratio(a.getAsDouble(), b.getAsDouble())
        : "n/a";
  }

  private static String latency(WsCell.Measured m, Function<WsClientResult.Latency, Double> value) {
    return m.client().latency().map(l -> RpcReport.micros(value.apply(l))).orElse("—");
  }

  private static String number(OptionalDouble value, String format) {
    return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "?";
  }

  private static void fill(List<String> cells, int width, String first) {
    cells.add(first);
    while (cells.size() < width) {
      cells.add("—");
    }
  }
}
