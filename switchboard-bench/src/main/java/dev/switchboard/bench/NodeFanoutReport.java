package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The independent-client half of a {@code BenchMain fanout} run, as a Markdown section and as JSON.
 */
record NodeFanoutReport(FanoutSettings settings, List<NodeFanoutResult> results) {

  /** Issue 10's goal: Switchboard's server CPU per delivery at most half Socket.IO's. */
  static final double GOAL_CPU_RATIO = 0.5;

  NodeFanoutReport {
    results = List.copyOf(results);
  }

  String markdown() {
    StringBuilder md =
        new StringBuilder("\n## Fan-out with independent clients (Node ws / socket.io-client)\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "workload: %,d devices held by node processes (Switchboard: ws with its "
                + "defaults on /ws?token=<JWT>; Socket.IO: socket.io-client, WebSocket transport), all on channel \"%s\"; "
                + "the Java publisher keeps K messages in flight, each until every device has it; payload %d bytes (%s); %s s "
                + "warm-up, then the messages of %s s measured until the last is complete. Latency: from the publisher's "
                + "send to receipt in node (both read CLOCK_MONOTONIC). Server CPU: its process's utime+stime over the "
                + "measured messages, divided by the deliveries received. Wire bytes: what ws read off its sockets from "
                + "ready to the end, divided by the deliveries.%n%n",
            settings.connections(),
            FanoutBenchmark.CHANNEL,
            settings.payloadBytes(),
            settings.payload().key(),
            RpcBenchSettings.plain(settings.warmupSeconds()),
            RpcBenchSettings.plain(settings.seconds())));
    md.append(
        "| system | client | devices / processes | in flight | messages | deliveries expected | received "
            + "| lost | deliveries/s | p50 ms | p99 ms | max ms | server cores | server µs/delivery "
            + "| wire bytes/delivery |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (NodeFanoutResult result : results) {
      switch (result) {
        case NodeFanoutResult.Measured m ->
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %,d / %d | %d | %,d | %,d | %,d | %,d | %,.0f | %,.2f | %,.2f | %,.2f | %.2f | %.2f | %s |%n",
                    m.label(),
                    m.client(),
                    m.devices(),
                    m.processes(),
                    m.inflight(),
                    m.messages(),
                    m.expected(),
                    m.received(),
                    m.lost(),
                    m.seconds() > 0 ? m.received() / m.seconds() : Double.NaN,
                    m.latency().p50ms(),
                    m.latency().p99ms(),
                    m.latency().maxMs(),
                    m.seconds() > 0 ? m.serverCpuSeconds() / m.seconds() : Double.NaN,
                    m.serverMicrosPerDelivery(),
                    Double.isNaN(m.wireBytesPerDelivery())
                        ? "—"
                        : String.format(Locale.ROOT, "%,.0f", m.wireBytesPerDelivery())));
        case NodeFanoutResult.NotRun n ->
            md.append("| ")
                .append(n.label())
                .append(" | not run: ")
                .append(n.reason())
                .append(" |\n");
        case NodeFanoutResult.Failed f ->
            md.append("| ")
                .append(f.label())
                .append(" | failed: ")
                .append(f.reason().replace('\n', ' '))
                .append(" |\n");
      }
    }
    md.append('\n');
    Optional<Double> ratio = cpuRatio();
    md.append(
        ratio
            .map(
                r ->
                    String.format(
                        Locale.ROOT,
                        "- server CPU per delivery, Switchboard / Socket.IO: "
                            + "**%.2fx** (goal <= %.1fx: %s)%n",
                        r,
                        GOAL_CPU_RATIO,
                        r <= GOAL_CPU_RATIO ? "reached" : "not reached"))
            .orElse(
                "- server CPU per delivery ratio: n/a (a system has no numbers in this run)\n"));
    for (NodeFanoutResult result : results) {
      if (result instanceof NodeFanoutResult.Measured m) {
        md.append(
            String.format(
                Locale.ROOT,
                "- %s: %,d incomplete messages, %,d stray deliveries, %,d devices "
                    + "closed after ready, %,d unreadable messages, %,d publish errors; node clients used %.1f CPU s "
                    + "(connecting included)%s%n",
                m.label(),
                m.incomplete(),
                m.strays(),
                m.closed(),
                m.malformed(),
                m.publishErrors(),
                m.clientCpuSeconds(),
                m.problems().isEmpty() ? "" : "; problems: " + String.join(" / ", m.problems())));
      }
    }
    return md.toString();
  }

  /** Switchboard's server CPU per delivery over Socket.IO's, when both were measured. */
  Optional<Double> cpuRatio() {
    Optional<NodeFanoutResult.Measured> sb = measured(PushSystem.SWITCHBOARD);
    Optional<NodeFanoutResult.Measured> sio = measured(PushSystem.SOCKETIO);
    if (sb.isEmpty() || sio.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(sb.get().serverMicrosPerDelivery() / sio.get().serverMicrosPerDelivery());
  }

  private Optional<NodeFanoutResult.Measured> measured(PushSystem system) {
    return results.stream()
        .filter(r -> r.system() == system && r instanceof NodeFanoutResult.Measured)
        .map(NodeFanoutResult.Measured.class::cast)
        .findFirst();
  }

  ObjectNode json() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode rows = root.putArray("results");
    for (NodeFanoutResult result : results) {
      ObjectNode r =
          rows.addObject().put("system", result.system().key()).put("label", result.label());
      switch (result) {
        case NodeFanoutResult.Measured m -> {
          r.put("status", "measured")
              .put("client", m.client())
              .put("devices", m.devices())
              .put("processes", m.processes())
              .put("inflight", m.inflight())
              .put("messages", m.messages())
              .put("expected", m.expected())
              .put("received", m.received())
              .put("incomplete", m.incomplete())
              .put("strays", m.strays())
              .put("closed", m.closed())
              .put("malformed", m.malformed())
              .put("publishErrors", m.publishErrors())
              .put("seconds", m.seconds())
              .put("serverCpuSeconds", m.serverCpuSeconds())
              .put("serverMicrosPerDelivery", m.serverMicrosPerDelivery())
              .put("clientCpuSeconds", m.clientCpuSeconds())
              .put("wireBytesPerDelivery", m.wireBytesPerDelivery());
          r.putObject("latency")
              .put("count", m.latency().count())
              .put("p50ms", m.latency().p50ms())
              .put("p99ms", m.latency().p99ms())
              .put("p999ms", m.latency().p999ms())
              .put("maxMs", m.latency().maxMs())
              .put("meanMs", m.latency().meanMs());
          ArrayNode problems = r.putArray("problems");
          m.problems().forEach(problems::add);
        }
        case NodeFanoutResult.NotRun n -> r.put("status", "not-run").put("reason", n.reason());
        case NodeFanoutResult.Failed f -> r.put("status", "failed").put("reason", f.reason());
      }
    }
    cpuRatio().ifPresent(r -> root.put("serverCpuPerDeliverySwitchboardPerSocketIo", r));
    return root;
  }
}
