package dev.switchboard.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * A {@code BenchMain cluster-rpc} run as Markdown: the machine, the command line, what was run, one
 * table with a row per scenario and round, then per round what a hop costs and how many hops the
 * routed calls add.
 */
record ClusterRpcReport(
    MachineFacts machine,
    String commandLine,
    ClusterRpcSettings settings,
    String redisVersion,
    List<ClusterRpcBenchmark.Round> rounds,
    List<ClusterRpcResult> results) {

  ClusterRpcReport {
    rounds = List.copyOf(rounds);
    results = List.copyOf(results);
  }

  String markdown() {
    StringBuilder md = new StringBuilder("## Clustered RPC: cluster.call over three nodes\n\n");
    md.append(machine.summary()).append("\n\ncommand: `").append(commandLine).append("`\n\n");
    md.append(workload()).append("\n\n");
    md.append(
        "| round | scenario | seq p50 µs | seq p99 µs | seq max µs | seq p50 added vs local µs "
            + "| calls/s | vs direct | p50 µs | p99 µs | max µs | server CPU µs/call | node 1 / 2 / 3 "
            + "µs/call | CPU vs direct | client cores | answers checked |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ClusterRpcResult result : results) {
      md.append(row(result)).append('\n');
    }
    md.append('\n');
    for (int round : results.stream().map(ClusterRpcResult::round).distinct().toList()) {
      hops(round).ifPresent(line -> md.append(line).append('\n'));
    }
    md.append(
        "\nScenarios (all on node 1's connection; node i's functions carry resource ri):\n\n");
    for (ClusterRpcScenario s : settings.scenarios()) {
      md.append("- **").append(s.key()).append("**: ").append(s.description()).append('\n');
    }
    return md.toString();
  }

  private String workload() {
    Optional<WsClientResult> any =
        results.stream()
            .flatMap(
                r ->
                    r instanceof ClusterRpcResult.Measured m
                        ? java.util.stream.Stream.of(m.throughput().client())
                        : java.util.stream.Stream.empty())
            .findFirst();
    String client =
        any.map(
                c ->
                    "Node's ws "
                        + c.wsVersion()
                        + " (node "
                        + c.node()
                        + "), permessage-deflate offered, server answered '"
                        + c.extensions()
                        + "'")
            .orElse("Node's ws");
    String idle =
        rounds.stream()
            .map(
                r ->
                    "round "
                        + r.round()
                        + ": "
                        + r.idleNodeCores().stream()
                            .map(c -> fmt("%.3f", c))
                            .collect(Collectors.joining(" / ")))
            .collect(Collectors.joining("; "));
    return fmt(
        "cluster: redis-server %s and %d Switchboard node JVMs (development mode, "
            + "SWITCHBOARD_WEBSOCKET_MESSAGES_PER_SECOND=0), fresh per round; odd rounds run the "
            + "scenarios in the order listed, even rounds reversed. Client: %s, one frame per message, "
            + "connected to node 1. Each scenario: a throughput pass (%d connections × %d calls in "
            + "flight), then a sequential pass (1 connection, 1 call in flight), each %s s warm-up "
            + "then %s s measured, after a %s s untimed prewarm of every scenario. Every answer is "
            + "compared with the one correct result (deep equality); a wrong answer, an error answer "
            + "or a stall fails the scenario. Latency: the client's, send to answer, exact "
            + "percentiles of every call in the window. Server CPU: each node JVM's utime+stime "
            + "(/proc) over the throughput window per answered call, summed (and split by node). "
            + "Nodes idle (no client), cores of node 1 / 2 / 3: %s.",
        redisVersion,
        ClusterRpcBenchmark.NODES,
        client,
        settings.connections(),
        settings.inflight(),
        RpcBenchSettings.plain(settings.warmupSeconds()),
        RpcBenchSettings.plain(settings.seconds()),
        RpcBenchSettings.plain(settings.prewarmSeconds()),
        idle.isEmpty() ? "not measured" : idle);
  }

  private String row(ClusterRpcResult result) {
    return switch (result) {
      case ClusterRpcResult.Failed f ->
          "| "
              + f.round()
              + " | "
              + f.scenario().key()
              + " | **FAILED**: "
              + f.reason().replace('|', '/').replace('\n', ' ')
              + " |"
              + "|".repeat(13);
      case ClusterRpcResult.Measured m -> {
        Optional<ClusterRpcResult.Measured> direct = find(m.round(), ClusterRpcScenario.DIRECT);
        Optional<ClusterRpcResult.Measured> local = find(m.round(), ClusterRpcScenario.LOCAL);
        WsClientResult seq = m.sequential().client();
        WsClientResult thr = m.throughput().client();
        String added =
            m.scenario().clustered() && m.scenario() != ClusterRpcScenario.LOCAL
                ? local
                    .flatMap(l -> p50(l.sequential()))
                    .flatMap(l -> p50(m.sequential()).map(p -> fmt("%+.0f", p - l)))
                    .orElse("?")
                : "—";
        String rate =
            m.scenario() == ClusterRpcScenario.DIRECT
                ? "1"
                : direct
                    .map(d -> ratio(thr.callsPerSecond(), d.throughput().client().callsPerSecond()))
                    .orElse("?");
        String cpuRatio =
            m.scenario() == ClusterRpcScenario.DIRECT
                ? "1"
                : direct
                    .map(
                        d ->
                            ratio(
                                m.throughput().serverMicrosPerCall(),
                                d.throughput().serverMicrosPerCall()))
                    .orElse("?");
        yield String.join(
            " | ",
            "| " + m.round(),
            m.scenario().key(),
            latency(seq, WsClientResult.Latency::p50us),
            latency(seq, WsClientResult.Latency::p99us),
            latency(seq, WsClientResult.Latency::maxUs),
            added,
            fmt("%,.0f", thr.callsPerSecond()),
            rate,
            latency(thr, WsClientResult.Latency::p50us),
            latency(thr, WsClientResult.Latency::p99us),
            latency(thr, WsClientResult.Latency::maxUs),
            micros(m.throughput().serverMicrosPerCall()),
            split(m.throughput()),
            cpuRatio,
            fmt("%.2f", thr.clientCores()),
            fmt("%,d", seq.calls() + thr.calls()) + " |");
      }
    };
  }

  /**
   * One round's hop line: the direct echo's sequential p50 (a round trip from this client over
   * loopback) against what routed and graph3 add to local's.
   */
  Optional<String> hops(int round) {
    Optional<Double> hop = find(round, ClusterRpcScenario.DIRECT).flatMap(d -> p50(d.sequential()));
    Optional<Double> local =
        find(round, ClusterRpcScenario.LOCAL).flatMap(l -> p50(l.sequential()));
    if (hop.isEmpty() || local.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder line =
        new StringBuilder(
            fmt(
                "- round %d: one hop (the direct echo's round trip from this client, sequential p50) "
                    + "costs %.0f µs; local's p50 is %.0f µs",
                round, hop.get(), local.get()));
    for (ClusterRpcScenario s : List.of(ClusterRpcScenario.ROUTED, ClusterRpcScenario.GRAPH3)) {
      find(round, s)
          .flatMap(m -> p50(m.sequential()))
          .ifPresent(
              p ->
                  line.append(
                      fmt(
                          "; %s adds %.0f µs (%.2f hops, %s expected)",
                          s.key(),
                          p - local.get(),
                          (p - local.get()) / hop.get(),
                          s == ClusterRpcScenario.ROUTED ? "1" : "2: b on node 2, c on node 3")));
    }
    return Optional.of(line.append('.').toString());
  }

  private Optional<ClusterRpcResult.Measured> find(int round, ClusterRpcScenario scenario) {
    return results.stream()
        .filter(r -> r.round() == round && r.scenario() == scenario)
        .flatMap(
            r ->
                r instanceof ClusterRpcResult.Measured m
                    ? java.util.stream.Stream.of(m)
                    : java.util.stream.Stream.empty())
        .findFirst();
  }

  private static Optional<Double> p50(ClusterRpcResult.Pass pass) {
    return pass.client().latency().map(WsClientResult.Latency::p50us);
  }

  private static String latency(
      WsClientResult c, java.util.function.ToDoubleFunction<WsClientResult.Latency> field) {
    return c.latency().map(l -> fmt("%,.0f", field.applyAsDouble(l))).orElse("-");
  }

  private static String split(ClusterRpcResult.Pass pass) {
    return java.util.stream.IntStream.range(0, pass.nodes().size())
        .mapToObj(i -> micros(pass.nodeMicrosPerCall(i)))
        .collect(Collectors.joining(" / "));
  }

  private static String micros(OptionalDouble value) {
    return value.isPresent() ? fmt("%.1f", value.getAsDouble()) : "?";
  }

  private static String ratio(double value, double base) {
    return base > 0 ? fmt("%.2f×", value / base) : "?";
  }

  private static String ratio(OptionalDouble value, OptionalDouble base) {
    return value.isPresent() && base.isPresent()
        ? ratio(value.getAsDouble(), base.getAsDouble())
        : "?";
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
