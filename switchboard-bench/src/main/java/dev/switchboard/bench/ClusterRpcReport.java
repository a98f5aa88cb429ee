package dev.switchboard.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * A {@code BenchMain cluster-rpc} run as Markdown: the machine, the command line, what was run, one
 * table with a row per scenario and round, then per round the java-hop reference, what a hop costs
 * (over the Node client and over our Java client) and how many hops the routed calls add.
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
    List<Integer> roundNumbers =
        java.util.stream.Stream.concat(
                rounds.stream().map(ClusterRpcBenchmark.Round::round),
                results.stream().map(ClusterRpcResult::round))
            .distinct()
            .sorted()
            .toList();
    for (int round : roundNumbers) {
      javaHopLine(round).ifPresent(line -> md.append(line).append('\n'));
      hops(round).ifPresent(line -> md.append(line).append('\n'));
    }
    md.append(
        "\nScenarios (all on node 1's connection; node i's functions carry resource ri):\n\n");
    for (ClusterRpcScenario s : settings.scenarios()) {
      md.append("- **").append(s.key()).append("**: ").append(s.description()).append('\n');
    }
    md.append(
        "- **java-hop** (a reference, not a scenario): JSON-RPC `echo` on node 2 from our own Java "
            + "client (`SwitchboardClient`, the Java SDK) in the bench JVM\n");
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
            + "Nodes idle (no client), cores of node 1 / 2 / 3: %s. java-hop, once per round after "
            + "the prewarm: our own Java client (`SwitchboardClient`, the SDK: a virtual-thread "
            + "writer woken per send, a platform reader thread, answers completed on the reader "
            + "thread) in the bench JVM, connected to node 2, calls the plain JSON-RPC "
            + "`echo` with the same payload one call at a time, %s s untimed then %s s measured, "
            + "every answer checked; exact percentiles of every call in the window.",
        redisVersion,
        ClusterRpcBenchmark.NODES,
        client,
        settings.connections(),
        settings.inflight(),
        RpcBenchSettings.plain(settings.warmupSeconds()),
        RpcBenchSettings.plain(settings.seconds()),
        RpcBenchSettings.plain(settings.prewarmSeconds()),
        idle.isEmpty() ? "not measured" : idle,
        RpcBenchSettings.plain(settings.prewarmSeconds() + settings.warmupSeconds()),
        RpcBenchSettings.plain(settings.seconds()));
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

  /** One round's java-hop figures, or why there are none; empty when the round has no record. */
  Optional<String> javaHopLine(int round) {
    return javaHop(round)
        .map(
            hop ->
                switch (hop) {
                  case JavaHop.Measured m ->
                      fmt(
                          "- round %d: java-hop (our Java client in the bench JVM → node 2, `echo`, "
                              + "1 call in flight): p50 %,.0f µs, p99 %,.0f µs, p99.9 %,.0f µs, "
                              + "max %,.0f µs, %,d answers checked.",
                          round,
                          m.latency().p50us(),
                          m.latency().p99us(),
                          m.latency().p999us(),
                          m.maxUs(),
                          m.latency().calls());
                  case JavaHop.Failed f ->
                      fmt(
                          "- round %d: java-hop **FAILED**: %s.",
                          round, f.reason().replace('\n', ' '));
                });
  }

  /**
   * One round's hop line: what routed and graph3 add to local's sequential p50, counted in hops of
   * two stacks: our Java client's (java-hop's p50) and the Node client's (the direct echo's
   * sequential p50, a round trip from the bench's client over loopback).
   */
  Optional<String> hops(int round) {
    Optional<Double> nodeHop =
        find(round, ClusterRpcScenario.DIRECT).flatMap(d -> p50(d.sequential()));
    Optional<Double> local =
        find(round, ClusterRpcScenario.LOCAL).flatMap(l -> p50(l.sequential()));
    if (nodeHop.isEmpty() || local.isEmpty()) {
      return Optional.empty();
    }
    Optional<Double> javaHop =
        javaHop(round)
            .flatMap(
                h ->
                    h instanceof JavaHop.Measured m
                        ? Optional.of(m.latency().p50us())
                        : Optional.empty());
    StringBuilder line =
        new StringBuilder(
            fmt(
                "- round %d: one Node-client hop (the direct echo's round trip from the Node client, "
                    + "sequential p50) costs %.0f µs; one Java-client hop (java-hop p50) %s; "
                    + "local's p50 is %.0f µs",
                round,
                nodeHop.get(),
                javaHop.map(j -> fmt("costs %.0f µs", j)).orElse("was not measured"),
                local.get()));
    for (ClusterRpcScenario s : List.of(ClusterRpcScenario.ROUTED, ClusterRpcScenario.GRAPH3)) {
      find(round, s)
          .flatMap(m -> p50(m.sequential()))
          .ifPresent(
              p -> {
                double added = p - local.get();
                line.append(fmt("; %s adds %.0f µs over local", s.key(), added));
                javaHop.ifPresent(j -> line.append(fmt(" = %.2f Java-client hops", added / j)));
                line.append(
                    fmt(
                        " = %.2f Node-client hops (%s expected)",
                        added / nodeHop.get(),
                        s == ClusterRpcScenario.ROUTED ? "1" : "2: b on node 2, c on node 3"));
              });
    }
    return Optional.of(line.append('.').toString());
  }

  private Optional<JavaHop> javaHop(int round) {
    return rounds.stream()
        .filter(r -> r.round() == round)
        .map(ClusterRpcBenchmark.Round::javaHop)
        .findFirst();
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
