package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class WsRpcTableTest {

  private static final RpcBenchSettings RPC =
      new RpcBenchSettings(
          64,
          20000,
          2000,
          5,
          1,
          20,
          15,
          List.of(1, 16, 256),
          EnumSet.allOf(SystemId.class),
          List.of(),
          Path.of("node"));
  private static final WsClientSettings WS = new WsClientSettings(5, 2, 10, 15, 256, 200, 2);
  private static final MachineFacts MACHINE =
      new MachineFacts(
          "java 25",
          2,
          Optional.of("v20.0.0"),
          "2026-01-01T00:00:00Z",
          "Linux",
          Optional.empty(),
          Optional.empty());

  private static final String CLIENT_OUTPUT =
      """
      {"ok":true,"ws":"8.23.1","node":"v20.20.2","payloadBytes":64,"connections":1,"inflightPerConnection":256,\
      "compressionOffered":true,"offer":"permessage-deflate; client_max_window_bits","extensions":"",\
      "calls":500000,"seconds":5.001,"callsPerSecond":99980,"latency":{"samples":500000,"p50us":2000,\
      "p90us":3000,"p99us":5000.5,"p999us":9000,"maxUs":12000,"meanUs":2100},"clientCpuSeconds":4,\
      "errors":3,"errorsTotal":3,"firstError":{"code":-32008,"message":"rate limited"},"notifications":0}
      """;

  @Test
  void readsWhatTheClientPrinted() throws Exception {
    WsClientResult r = WsClientResult.parse(new ObjectMapper().readTree(CLIENT_OUTPUT));

    assertThat(r.offer()).isEqualTo("permessage-deflate; client_max_window_bits");
    assertThat(r.extensions()).isEmpty();
    assertThat(r.calls()).isEqualTo(500_000);
    assertThat(r.latency()).hasValueSatisfying(l -> assertThat(l.p99us()).isEqualTo(5000.5));
    assertThat(r.errors()).isEqualTo(3);
    assertThat(r.firstError()).hasValue("{\"code\":-32008,\"message\":\"rate limited\"}");
  }

  @Test
  void aFailureTheClientReportedBecomesItsReason() throws Exception {
    var json =
        new ObjectMapper()
            .readTree("{\"ok\":false,\"failure\":\"connection 3 closed by the server: 1008\"}");

    assertThatThrownBy(() -> WsClientResult.parse(json))
        .isInstanceOf(BenchmarkException.class)
        .hasMessage("connection 3 closed by the server: 1008");
  }

  @Test
  void serverCpuPerCallIsTheServersCpuOverTheWindowDividedByTheAnswers() {
    WsCell.Measured cell = cell(SystemId.SWITCHBOARD, WS.workloads().get(0), true, 10_000, 0.5);

    // 0.5 s of server CPU for 50,000 answers in 5 s
    assertThat(cell.serverMicrosPerCall()).hasValue(10.0);
  }

  @Test
  void oneTablePerWorkloadWithTheRatiosBelowIt() {
    List<WsSystemRun> runs =
        List.of(
            run(SystemId.SWITCHBOARD, "Switchboard", 20_000, 0.5),
            run(SystemId.RAW, "raw echo", 40_000, 0.25),
            run(SystemId.RPC_WEBSOCKETS, "rpc-websockets", 10_000, 0.5));

    String md = new WsRpcTable(MACHINE, "BenchMain rpc --client ws", RPC, WS, runs).markdown();

    assertThat(md).contains("### (a) one connection, 256 calls in flight");
    assertThat(md).contains("### (b) sequential calls on one connection");
    assertThat(md).contains("### (c) 200 connections, 2 calls in flight on each");
    assertThat(md)
        .contains(
            "| Switchboard | offered | declined | 20,000 | 2,000.0 | 5,000.5 | 9,000.0 | 5.0 |");
    assertThat(md).contains("| Switchboard | not offered | — | 20,000 |");
    // Switchboard: 5 µs a call; rpc-websockets: 10; the raw echo: 1.25
    assertThat(md)
        .contains(
            "- Switchboard / rpc-websockets: compression offered: calls/s **2.00x**, "
                + "server CPU/call 0.50x, p99 1.00x;");
    assertThat(md)
        .contains(
            "- Switchboard / raw Vert.x echo (share of the stack's limit): compression offered: "
                + "calls/s **0.50x**, server CPU/call 4.00x;");
    // Systems the run did not have get no ratio line.
    assertThat(md).doesNotContain("raw Netty echo");
  }

  @Test
  void theRawNettyEchoIsComparedWithSwitchboardTheVertxEchoAndRpcWebsockets() {
    List<WsSystemRun> runs =
        List.of(
            run(SystemId.SWITCHBOARD, "Switchboard", 20_000, 0.5),
            run(SystemId.RAW, "raw Vert.x echo", 40_000, 0.25),
            run(SystemId.NETTY, "raw Netty echo", 50_000, 0.1),
            run(SystemId.NETTY_FLUSH_EACH, "raw Netty echo, flush each", 50_000, 0.2),
            run(SystemId.RPC_WEBSOCKETS, "rpc-websockets", 10_000, 0.5));

    String md = new WsRpcTable(MACHINE, "BenchMain rpc --client ws", RPC, WS, runs).markdown();

    // µs a call: Switchboard 5, the Vert.x echo 1.25, the Netty echo 0.4 (0.8 flushing each frame),
    // rpc-websockets 10
    assertThat(md)
        .contains(
            "- Switchboard / raw Netty echo (share of Netty's limit): compression offered: "
                + "calls/s **0.40x**, server CPU/call 12.50x;");
    assertThat(md)
        .contains(
            "- raw Vert.x echo / raw Netty echo (what Vert.x's WebSocket layer adds): "
                + "compression offered: calls/s **0.80x**, server CPU/call 3.13x;");
    assertThat(md)
        .contains(
            "- raw Netty echo / rpc-websockets (the floor for Switchboard's CPU/call): "
                + "compression offered: calls/s **5.00x**, server CPU/call 0.04x;");
    assertThat(md)
        .contains(
            "- raw Netty echo, flush per frame / per read batch: compression offered: "
                + "calls/s **1.00x**, server CPU/call 2.00x;");
  }

  @Test
  void aCellThatFailedSaysWhyAndItsRatiosSayThereAreNoNumbers() {
    WsWorkload first = WS.workloads().get(0);
    List<WsCell> cells =
        new ArrayList<>(run(SystemId.SWITCHBOARD, "Switchboard", 20_000, 0.5).cells());
    cells.set(
        0,
        new WsCell.Failed(
            SystemId.SWITCHBOARD, first, true, "connection 0 closed by the server: 1008 ''"));
    List<WsSystemRun> runs =
        List.of(
            new WsSystemRun(SystemId.SWITCHBOARD, "Switchboard", cells),
            run(SystemId.RPC_WEBSOCKETS, "rpc-websockets", 10_000, 0.5));

    String md = new WsRpcTable(MACHINE, "BenchMain rpc --client ws", RPC, WS, runs).markdown();

    assertThat(md)
        .contains(
            "| Switchboard | offered | failed: connection 0 closed by the server: 1008 '' | — |");
    assertThat(md)
        .contains(
            "- Switchboard / rpc-websockets: compression offered: n/a (Switchboard has no numbers); "
                + "not offered: calls/s **2.00x**");
  }

  private static WsSystemRun run(
      SystemId system, String label, double callsPerSecond, double serverCpuSeconds) {
    List<WsCell> cells = new ArrayList<>();
    for (WsWorkload w : WS.workloads()) {
      cells.add(cell(system, w, true, callsPerSecond, serverCpuSeconds));
      cells.add(cell(system, w, false, callsPerSecond, serverCpuSeconds));
    }
    return new WsSystemRun(system, label, cells);
  }

  private static WsCell.Measured cell(
      SystemId system,
      WsWorkload workload,
      boolean offered,
      double callsPerSecond,
      double serverCpuSeconds) {
    long calls = (long) (callsPerSecond * 5);
    WsClientResult client =
        new WsClientResult(
            "8.23.1",
            "v20.20.2",
            offered ? "permessage-deflate" : "",
            "",
            calls,
            5,
            callsPerSecond,
            Optional.of(new WsClientResult.Latency(calls, 2000, 3000, 5000.5, 9000, 12000, 2100)),
            4,
            0,
            Optional.empty(),
            0);
    CpuUsage server =
        new CpuUsage(
            5, OptionalDouble.of(serverCpuSeconds), OptionalDouble.of(0.01), OptionalDouble.of(9));
    return new WsCell.Measured(system, workload, offered, client, server);
  }
}
