package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class FanoutReportTest {

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
          EnumSet.allOf(FanoutSettings.Phase.class),
          List.of(),
          Map.of(),
          Optional.empty(),
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
  void aFanoutRowPerSystemAndLevelThenASteadyPushRowPerSystem() {
    String md =
        report(
                List.of(
                    measured(PushSystem.SWITCHBOARD, 60_000, 200_000, 2.5),
                    measured(PushSystem.SOCKETIO, 40_000, 40_000, 12)))
            .markdown();

    assertThat(md)
        .contains(
            "| system | connect s | in flight | deliveries/s | p50 ms | p99 ms | p99.9 ms | lost "
                + "| server cores | bench cores | other cores | server µs/delivery | bench µs/delivery |");
    // 15 server CPU seconds (of 27 busy) for 15 s x 60,000 deliveries
    assertThat(md)
        .contains(
            "| SWITCHBOARD | 12.0 | 1 | 60,000 | 20.00 | 40.00 | 80.00 | 0 | 1.00 | 0.50 | 0.30 "
                + "| 16.7 | 8.3 |");
    assertThat(md).contains("| SWITCHBOARD | 12.0 | 16 | 200,000 |");
    assertThat(md)
        .contains(
            "| system | sends/s | p50 ms | p99 ms | p99.9 ms | max ms | misses | server cores "
                + "| bench cores | other cores | server µs/send |");
    assertThat(md)
        .contains(
            "| SWITCHBOARD | 1,000 | 1.25 | 2.50 | 5.00 | 7.50 | 0 | 0.10 | n/a | n/a | 100.0 |");
  }

  @Test
  void ratiosPerLevelAtTheBestLevelsAndAgainstTheGoals() {
    String md =
        report(
                List.of(
                    measured(PushSystem.SWITCHBOARD, 60_000, 200_000, 2.5),
                    measured(PushSystem.SOCKETIO, 40_000, 40_000, 12)))
            .markdown();

    assertThat(md)
        .contains(
            "- fan-out, 1 in flight: deliveries/s Switchboard / Socket.IO **1.50x** (goal 3x: not "
                + "reached)");
    assertThat(md)
        .contains(
            "- fan-out, 16 in flight: deliveries/s Switchboard / Socket.IO **5.00x** (goal 3x: "
                + "reached)");
    assertThat(md)
        .contains(
            "each at its best level: 200,000 (16 in flight) vs 40,000 (1 in flight) deliveries/s, "
                + "**5.00x**");
    assertThat(md)
        .contains("steady-push p99: 2.50 ms vs 12.00 ms (0.21x Socket.IO's; lower is better)");
    assertThat(md).contains("Switchboard steady-push p99 2.50 ms (goal under 10 ms: reached)");
  }

  @Test
  void aMissedLatencyGoalIsSaidSo() {
    String md = report(List.of(measured(PushSystem.SWITCHBOARD, 60_000, 200_000, 25))).markdown();

    assertThat(md).contains("(goal under 10 ms: not reached)");
    assertThat(md).contains("ratios: n/a (Socket.IO has no numbers in this run)");
  }

  @Test
  void aSystemThatDidNotRunKeepsItsRows() {
    String md =
        report(
                List.of(
                    measured(PushSystem.SWITCHBOARD, 60_000, 200_000, 2.5),
                    new FanoutResult.NotRun(
                        PushSystem.SOCKETIO, "Socket.IO", "node is not on the PATH")))
            .markdown();

    assertThat(md).contains("| Socket.IO | not run: node is not on the PATH | — |");
  }

  @Test
  void aPhaseLeftOutIsSaidSoAndHasNoRatio() {
    FanoutResult.Measured full = measured(PushSystem.SWITCHBOARD, 1, 1, 2.5);
    FanoutResult pushOnly =
        new FanoutResult.Measured(
            PushSystem.SWITCHBOARD, "SB", 12, List.of(), full.push(), 0, List.of());

    String md =
        report(List.of(pushOnly, measured(PushSystem.SOCKETIO, 40_000, 40_000, 12))).markdown();

    assertThat(md).contains("| SB | 12.0 | not run | — |");
    assertThat(md).doesNotContain("deliveries/s Switchboard / Socket.IO");
    assertThat(md).contains("steady-push p99: 2.50 ms vs 12.00 ms");
  }

  @Test
  void jsonHoldsEveryResultAndTheRatios() {
    var json =
        report(
                List.of(
                    measured(PushSystem.SWITCHBOARD, 60_000, 200_000, 2.5),
                    measured(PushSystem.SOCKETIO, 40_000, 40_000, 12)))
            .json();

    assertThat(json.at("/results/0/fanout/1/deliveriesPerSecond").asDouble()).isEqualTo(200_000);
    assertThat(json.at("/results/0/fanout/0/cpu/serverCpuSeconds").asDouble()).isEqualTo(15);
    assertThat(json.at("/results/1/push/latency/p99ms").asDouble()).isEqualTo(12);
    assertThat(json.at("/ratios/deliveriesPerSecondSwitchboardPerSocketIo/16").asDouble())
        .isEqualTo(5);
  }

  private static FanoutReport report(List<FanoutResult> results) {
    return new FanoutReport(MACHINE, "BenchMain fanout", SETTINGS, results);
  }

  private static FanoutResult.Measured measured(
      PushSystem system, double atOne, double atSixteen, double pushP99) {
    PushStats push =
        new PushStats(
            15_000,
            1000,
            0,
            0,
            0,
            0,
            0,
            0.1,
            new LatencyStats(15_000, pushP99 / 2, pushP99, pushP99 * 2, pushP99 * 3, pushP99 / 2),
            List.of(1.0, 2.0),
            new CpuUsage(
                15, OptionalDouble.of(1.5), OptionalDouble.empty(), OptionalDouble.empty()),
            Optional.empty());
    return new FanoutResult.Measured(
        system,
        system.name(),
        12,
        List.of(level(1, atOne), level(16, atSixteen)),
        Optional.of(push),
        0,
        List.of());
  }

  private static FanoutStats level(int inflight, double deliveriesPerSecond) {
    return new FanoutStats(
        inflight,
        15,
        (long) deliveriesPerSecond * 15,
        deliveriesPerSecond,
        100,
        0,
        0,
        0,
        0,
        0,
        0,
        new LatencyStats(1000, 20, 40, 80, 120, 20),
        new CpuUsage(15, OptionalDouble.of(15), OptionalDouble.of(7.5), OptionalDouble.of(27)),
        Optional.empty());
  }
}
