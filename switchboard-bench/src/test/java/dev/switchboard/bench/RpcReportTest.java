package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpcReportTest {

  private static final RpcBenchSettings SETTINGS =
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
  private static final MachineFacts MACHINE =
      new MachineFacts(
          "java 25",
          2,
          Optional.of("v20.0.0"),
          "2026-01-01T00:00:00Z",
          "Linux",
          Optional.empty(),
          Optional.empty());
  private static final Workload WORKLOAD = Workload.of(64, Duration.ofSeconds(30));

  @Test
  void oneRowPerSystemAndTheRatiosBetweenThem() {
    RpcReport report =
        report(
            List.of(
                measured(SystemId.SWITCHBOARD, 100, 300, 1_000, 10_000, 50_000),
                measured(SystemId.RAW, 50, 100, 2_000, 20_000, 100_000),
                measured(SystemId.NETTY, 40, 90, 2_000, 25_000, 200_000),
                measured(SystemId.RPC_WEBSOCKETS, 80, 200, 4_000, 5_000, 25_000)));

    String md = report.markdown();

    assertThat(md).contains("| system | p50 µs | p99 µs | p99.9 µs | calls/s @1 | @16 | @256 |");
    assertThat(md).contains("| SWITCHBOARD | 100.0 | 300.0 | 600.0 | 1,000 | 10,000 | 50,000 |");
    assertThat(md)
        .contains(
            "Switchboard / rpc-websockets, pipelined calls/s: @1 0.25x, @16 2.00x, @256 2.00x");
    assertThat(md).contains("Switchboard p99 vs rpc-websockets p99: 300.0 µs vs 200.0 µs (1.50x");
    assertThat(md)
        .contains(
            "Switchboard / raw echo, pipelined calls/s (share of the stack's limit): "
                + "@1 0.50x, @16 0.50x, @256 0.50x");
    assertThat(md)
        .contains(
            "Switchboard / raw Netty echo, pipelined calls/s (share of Netty's limit): "
                + "@1 0.50x, @16 0.40x, @256 0.25x");
    assertThat(md).contains("java 25, 2 cores, node v20.0.0");
  }

  @Test
  void aSystemThatDidNotRunKeepsItsRowAndItsRatiosSayWhy() {
    RpcReport report =
        report(
            List.of(
                measured(SystemId.SWITCHBOARD, 100, 300, 1_000, 10_000, 50_000),
                new SystemResult.NotRun(
                    SystemId.RPC_WEBSOCKETS, "rpc-websockets (node)", "node is not on the PATH")));

    String md = report.markdown();

    assertThat(md)
        .contains(
            "| rpc-websockets (node) | not run: node is not on the PATH | — | — | — | — | — |");
    assertThat(md).contains("pipelined calls/s: n/a (rpc-websockets has no numbers in this run)");
    assertThat(md)
        .contains("(share of the stack's limit): n/a (the raw echo has no numbers in this run)");
    assertThat(md).doesNotContain("raw Netty echo");
  }

  @Test
  void jsonHoldsEveryResultWithItsStatus() {
    RpcReport report =
        report(
            List.of(
                measured(SystemId.SWITCHBOARD, 100, 300, 1_000, 10_000, 50_000),
                new SystemResult.Failed(SystemId.RAW, "raw", "stalled")));

    var json = report.json();

    assertThat(json.at("/results/0/status").asText()).isEqualTo("measured");
    assertThat(json.at("/results/0/pipelined/2/callsPerSecond").asDouble()).isEqualTo(50_000);
    assertThat(json.at("/results/1/status").asText()).isEqualTo("failed");
    assertThat(json.at("/results/1/reason").asText()).isEqualTo("stalled");
    assertThat(json.at("/settings/requestFrameBytes").asInt())
        .isEqualTo(WORKLOAD.requestFrameBytes());
  }

  private static RpcReport report(List<SystemResult> results) {
    return new RpcReport(MACHINE, "BenchMain rpc", SETTINGS, WORKLOAD, results);
  }

  private static SystemResult measured(
      SystemId system, double p50, double p99, double at1, double at16, double at256) {
    return new SystemResult.Measured(
        system,
        system.name(),
        new SequentialStats(20000, p50, p50 * 1.5, p99, p99 * 2, p50 * 1.1),
        List.of(
            new PipelinedStats(1, at1, (long) at1 * 5, 5),
            new PipelinedStats(16, at16, (long) at16 * 5, 5),
            new PipelinedStats(256, at256, (long) at256 * 5, 5)));
  }
}
