package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeFanoutReportTest {

  private static final FanoutSettings SETTINGS =
      new FanoutSettings(
          10_000,
          15,
          3,
          1000,
          64,
          PushPayload.Shape.PADDED,
          List.of(1, 16),
          10,
          2,
          200,
          32,
          EnumSet.allOf(PushSystem.class),
          EnumSet.of(FanoutSettings.Phase.FANOUT),
          List.of(),
          Map.of(),
          Optional.empty(),
          Path.of("node"));

  /** The bucket fanout-client.mjs puts a latency of {@code us} microseconds in. */
  private static int bucket(double us) {
    return (int) Math.floor(Math.log1p(us) / Math.log(NodeFanoutPhase.BUCKET_BASE));
  }

  private static JsonNode clientReport(Map<Integer, Long> histogram, long maxUs) throws Exception {
    StringBuilder json = new StringBuilder("{\"histogram\":{");
    histogram.forEach((b, n) -> json.append('"').append(b).append("\":").append(n).append(','));
    json.setLength(json.length() - (histogram.isEmpty() ? 0 : 1));
    json.append("},\"maxUs\":{\"7\":").append(maxUs).append("}}");
    return new ObjectMapper().readTree(json.toString());
  }

  @Test
  void latencyMergesTheProcessesHistogramsWithinHalfAPercent() throws Exception {
    // 98 deliveries at 1 ms in one process; 2 at 50 ms in the other, the slowest 50.2 ms.
    JsonNode a = clientReport(Map.of(bucket(1000), 98L), 1000);
    JsonNode b = clientReport(Map.of(bucket(50_000), 1L, bucket(50_200), 1L), 50_200);

    LatencyStats stats = NodeFanoutPhase.latency(List.of(a, b));

    assertThat(stats.count()).isEqualTo(100);
    assertThat(stats.p50ms()).isBetween(1.0, 1.005);
    assertThat(stats.p99ms()).isBetween(50.0, 50.25);
    assertThat(stats.maxMs()).isCloseTo(50.2, within(1e-9));
  }

  @Test
  void noDeliveriesGiveEmptyLatency() throws Exception {
    assertThat(NodeFanoutPhase.latency(List.of(clientReport(Map.of(), 0))))
        .isEqualTo(LatencyStats.EMPTY);
  }

  @Test
  void theCpuRatioIsSwitchboardsServerCpuPerDeliveryOverSocketIos() {
    NodeFanoutReport report =
        new NodeFanoutReport(
            SETTINGS,
            List.of(
                measured(PushSystem.SWITCHBOARD, 1_000_000, 1_000_000, 4.0),
                measured(PushSystem.SOCKETIO, 400_000, 399_000, 4.0)));

    // 4 us vs 10.03 us per delivery
    assertThat(report.cpuRatio())
        .hasValueSatisfying(r -> assertThat(r).isCloseTo(0.399, within(0.001)));
    String md = report.markdown();
    assertThat(md).contains("## Fan-out with independent clients (Node ws / socket.io-client)");
    assertThat(md)
        .contains("| SWITCHBOARD | ws | 10,000 / 2 | 16 | 100 | 1,000,000 | 1,000,000 | 0 |");
    assertThat(md).contains("| SOCKETIO | ws | 10,000 / 2 | 16 | 40 | 400,000 | 399,000 | 1,000 |");
    assertThat(md).contains("**0.40x** (goal <= 0.5x: reached)");
  }

  @Test
  void aSystemThatDidNotRunLeavesTheRatioOut() {
    NodeFanoutReport report =
        new NodeFanoutReport(
            SETTINGS,
            List.of(
                measured(PushSystem.SWITCHBOARD, 1_000_000, 1_000_000, 4.0),
                new NodeFanoutResult.NotRun(
                    PushSystem.SOCKETIO, "Socket.IO", "node is not on the PATH")));

    assertThat(report.cpuRatio()).isEmpty();
    assertThat(report.markdown())
        .contains("| Socket.IO | not run: node is not on the PATH |")
        .contains("ratio: n/a");
    assertThat(report.json().path("results").get(1).path("status").asText()).isEqualTo("not-run");
  }

  private static NodeFanoutResult.Measured measured(
      PushSystem system, long expected, long received, double serverCpuSeconds) {
    return new NodeFanoutResult.Measured(
        system,
        system.name(),
        "ws",
        10_000,
        2,
        16,
        expected / 10_000,
        expected,
        received,
        expected == received ? 0 : 1,
        0,
        0,
        0,
        0,
        5,
        serverCpuSeconds,
        3,
        4200,
        new LatencyStats(received, 1, 2, 3, 4, 1.5),
        List.of());
  }
}
