package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ClusterRpcReportTest {

  private static final ClusterRpcSettings SETTINGS =
      new ClusterRpcSettings(
          5,
          2,
          2,
          4,
          16,
          1,
          64,
          15,
          List.of(ClusterRpcScenario.values()),
          List.of(),
          Map.of(),
          Path.of("node"));
  private static final MachineFacts MACHINE =
      new MachineFacts(
          "java 25",
          2,
          Optional.of("v20.0.0"),
          "2026-01-01T00:00:00Z",
          "Linux",
          Optional.empty(),
          Optional.empty());

  @Test
  void serverCpuPerCallIsTheSumOfTheNodesOverTheAnswers() {
    // 10,000 answers; node 1 0.1 s, node 2 0.2 s, node 3 0 s
    ClusterRpcResult.Pass pass = pass(10_000, 100, 0.1, 0.2, 0.0);

    assertThat(pass.nodeMicrosPerCall(0)).hasValue(10.0);
    assertThat(pass.nodeMicrosPerCall(1)).hasValue(20.0);
    assertThat(pass.serverMicrosPerCall()).hasValue(30.0);
  }

  @Test
  void eachRowComparesWithDirectAndRoutedWithLocal() {
    String md = report(all()).markdown();

    assertThat(md).contains("| 1 | direct | 30 | 60 | 90 | — | 20,000 | 1 |");
    // local: half direct's rate, twice its CPU (10 µs a call against 5)
    assertThat(md).contains("| 1 | local | 60 | 120 | 180 | — | 10,000 | 0.50× |");
    assertThat(md).contains("| 10.0 | 10.0 / 0.0 / 0.0 | 2.00× |");
    // routed: 90 µs more than local at p50
    assertThat(md).contains("| 1 | routed | 150 | 300 | 450 | +90 | 5,000 | 0.25× |");
    assertThat(md).contains("| 20.0 | 10.0 / 10.0 / 0.0 | 4.00× |");
  }

  @Test
  void theHopLineCountsWhatRoutedCallsAddInJavaLinkAndNodeClientHops() {
    String md = report(all()).markdown();

    // java-hop p50 45 µs, direct 30 µs: routed's 90 µs over local are 2 Java-client hops, 3 Node
    // ones
    assertThat(md)
        .contains(
            "- round 1: one Node-client hop (the direct echo's round trip from the Node client, "
                + "sequential p50) costs 30 µs; one Java-client hop (java-hop p50) costs 45 µs; "
                + "local's p50 is 60 µs; "
                + "routed adds 90 µs over local = 2.00 Java-client hops = 3.00 Node-client hops "
                + "(1 expected); "
                + "graph3 adds 240 µs over local = 5.33 Java-client hops = 8.00 Node-client hops "
                + "(2: b on node 2, c on node 3 expected).");
  }

  @Test
  void theJavaHopHasALineOfItsOwnBeforeTheHopLine() {
    String md = report(all()).markdown();

    String line =
        "- round 1: java-hop (our Java client in the bench JVM → node 2, `echo`, 1 call in flight): "
            + "p50 45 µs, p99 90 µs, p99.9 135 µs, max 180 µs, 50,000 answers checked.";
    assertThat(md).contains(line);
    assertThat(md.indexOf(line)).isLessThan(md.indexOf("one Node-client hop"));
    assertThat(md).contains("- **java-hop** (a reference, not a scenario)");
  }

  @Test
  void aFailedJavaHopSaysWhyAndTheHopLineCountsNodeClientHopsOnly() {
    ClusterRpcBenchmark.Round round =
        new ClusterRpcBenchmark.Round(
            1, List.of(0.01, 0.02, 0.03), new JavaHop.Failed("no answer within 15 s"));

    String md = report(List.of(round), all()).markdown();

    assertThat(md).contains("- round 1: java-hop **FAILED**: no answer within 15 s.");
    assertThat(md)
        .contains(
            "one Java-client hop (java-hop p50) was not measured; local's p50 is 60 µs; "
                + "routed adds 90 µs over local = 3.00 Node-client hops (1 expected);");
    assertThat(md).doesNotContain("Java-client hops");
  }

  @Test
  void aFailedScenarioKeepsTheTablesShapeAndSaysWhy() {
    List<ClusterRpcResult> results =
        List.of(
            measured(ClusterRpcScenario.DIRECT, 30, 20_000, 0.1, 0, 0),
            new ClusterRpcResult.Failed(
                ClusterRpcScenario.ROUTED, 1, "connection 0: an error answer | -32023"));

    String md = report(results).markdown();

    String row = md.lines().filter(l -> l.startsWith("| 1 | routed")).findFirst().orElseThrow();
    String header = md.lines().filter(l -> l.startsWith("| round")).findFirst().orElseThrow();
    assertThat(row).contains("**FAILED**: connection 0: an error answer / -32023");
    assertThat(row.chars().filter(c -> c == '|').count())
        .isEqualTo(header.chars().filter(c -> c == '|').count());
    // No local: no hop line.
    assertThat(md).doesNotContain("Node-client hop");
  }

  private static ClusterRpcReport report(List<ClusterRpcResult> results) {
    // java-hop: p50 45 µs (p90 and p99 twice, p99.9 thrice, max four times)
    JavaHop javaHop = new JavaHop.Measured(new SequentialStats(50_000, 45, 90, 90, 135, 50), 180);
    return report(
        List.of(new ClusterRpcBenchmark.Round(1, List.of(0.01, 0.02, 0.03), javaHop)), results);
  }

  private static ClusterRpcReport report(
      List<ClusterRpcBenchmark.Round> rounds, List<ClusterRpcResult> results) {
    return new ClusterRpcReport(
        MACHINE, "./switchboard bench cluster-rpc", SETTINGS, "7.0.15", rounds, results);
  }

  private static List<ClusterRpcResult> all() {
    return List.of(
        measured(ClusterRpcScenario.DIRECT, 30, 20_000, 0.5, 0, 0),
        measured(ClusterRpcScenario.LOCAL, 60, 10_000, 0.5, 0, 0),
        measured(ClusterRpcScenario.ROUTED, 150, 5_000, 0.25, 0.25, 0),
        measured(ClusterRpcScenario.GRAPH3, 300, 2_500, 0.25, 0.25, 0.25));
  }

  /**
   * Sequential p50 {@code p50us} (p99 twice, max thrice); a 5 s throughput window at {@code rate}
   * with the nodes' CPU seconds given.
   */
  private static ClusterRpcResult.Measured measured(
      ClusterRpcScenario s, double p50us, double rate, double... nodeSeconds) {
    return new ClusterRpcResult.Measured(
        s, 1, pass(10_000, p50us, 0, 0, 0), pass(Math.round(rate * 5), p50us * 10, nodeSeconds));
  }

  private static ClusterRpcResult.Pass pass(long calls, double p50us, double... nodeSeconds) {
    WsClientResult client =
        new WsClientResult(
            "8.23.1",
            "v20.0.0",
            "permessage-deflate; client_max_window_bits",
            "",
            calls,
            5,
            calls / 5.0,
            Optional.of(
                new WsClientResult.Latency(
                    calls, p50us, p50us, 2 * p50us, 2 * p50us, 3 * p50us, p50us)),
            1,
            0,
            Optional.empty(),
            0);
    List<CpuUsage> nodes =
        java.util.Arrays.stream(nodeSeconds)
            .mapToObj(
                s ->
                    new CpuUsage(
                        5, OptionalDouble.of(s), OptionalDouble.empty(), OptionalDouble.empty()))
            .toList();
    return new ClusterRpcResult.Pass(client, nodes);
  }
}
