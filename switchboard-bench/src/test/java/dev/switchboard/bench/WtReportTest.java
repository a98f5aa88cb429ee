package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.WtSample.Phase;
import dev.switchboard.bench.WtSample.Transport;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class WtReportTest {

  @Test
  void latencyPercentilesAreNearestRankOfTheSortedSample() {
    WtSample sample = sample(1, Phase.SEQ, Transport.WS, 1000, 1.0, 0.1, 30, 10, 20);

    assertThat(sample.percentileUs(0.5)).hasValue(20); // ceil(1.5) - 1 = 1
    assertThat(sample.percentileUs(0.99)).hasValue(30);
    assertThat(sample(1, Phase.PIPE, Transport.WS, 1000, 1.0, 0.1).percentileUs(0.5)).isEmpty();
  }

  @Test
  void cpuPerOpIsTheProcessCpuOverTheOps() {
    WtSample sample = sample(1, Phase.PIPE, Transport.WT, 4000, 2.0, 0.2);

    assertThat(sample.opsPerSecond()).isEqualTo(2000);
    assertThat(sample.serverUsPerOp().getAsDouble()).isCloseTo(50, within());
  }

  @Test
  void medianTakesTheMiddleOrTheMeanOfTheMiddleTwo() {
    assertThat(WtReport.median(new double[] {3, 1, 2})).hasValue(2);
    assertThat(WtReport.median(new double[] {4, 1, 3, 2})).hasValue(2.5);
    assertThat(WtReport.median(new double[0])).isEmpty();
  }

  @Test
  void ratioRowDividesWebTransportsMediansByWebSockets() {
    List<WtSample> samples =
        List.of(
            sample(1, Phase.PIPE, Transport.WS, 1000, 1.0, 0.10),
            sample(1, Phase.PIPE, Transport.WT, 1500, 1.0, 0.15),
            sample(2, Phase.PIPE, Transport.WT, 500, 1.0, 0.05),
            sample(2, Phase.PIPE, Transport.WS, 1000, 1.0, 0.10),
            sample(3, Phase.PIPE, Transport.WS, 3000, 1.0, 0.30),
            sample(3, Phase.PIPE, Transport.WT, 2000, 1.0, 0.40));

    String md = new WtReport("machine", "./switchboard bench wt", "workload", samples).markdown();

    // medians, each column its own: WS 1,000 ops/s, 100 µs/op; WT 1,500 ops/s (round 1),
    // 100 µs/op (rounds 1 and 2; round 3 spent 200)
    assertThat(md)
        .contains("| WebSocket | 1,000 | 1,000 / 1,000 / 3,000 |  |  | 100.0 |")
        .contains("| WebTransport | 1,500 | 1,500 / 500 / 2,000 |  |  | 100.0 |")
        .contains("|  | **WT/WS** | **1.50x** |  |  |  | 1.00x |")
        .doesNotContain("RPC sequential");
  }

  @Test
  void rawRowSaysWhatFractionOfTheRawEchoRpcOverWebTransportReachesAndTheMicrosItAdds() {
    List<WtSample> samples =
        List.of(
            sample(1, Phase.SEQ, Transport.WS, 1000, 1.0, 0.05, 200),
            sample(1, Phase.SEQ, Transport.WT, 600, 1.0, 0.045, 300),
            sample(1, Phase.SEQ, Transport.WT_RAW, 1000, 1.0, 0.025, 180),
            sample(1, Phase.PUSH, Transport.WS, 100, 1.0, 0.01, 900),
            sample(1, Phase.PUSH, Transport.WT, 100, 1.0, 0.01, 1000));

    String md = new WtReport("machine", "./switchboard bench wt", "workload", samples).markdown();

    // WT 600 calls/s of the raw echo's 1,000; 75 µs CPU/call against 25; p50 300 against 180
    assertThat(md)
        .contains("| RPC sequential (echo, 1 in flight) | WebSocket | 1,000 |")
        .contains("|  | **WT/WS** | **0.60x** |  | 1.50x | 1.50x | 1.50x |")
        .contains("|  | raw WT echo (no RPC) | 1,000 | 1,000 | 180.0 | 180.0 | 25.0 |")
        .contains(
            "|  | **WT/raw** | **0.60x** |  | 1.67x (+120.0) | 1.67x (+120.0) | 3.00x (+50.0) | — |")
        .containsOnlyOnce("**WT/raw**");
  }

  @Test
  void addedMicrosCarryTheirSignAndNeverReadMinusZero() {
    assertThat(WtReport.signedMicros(2.84)).isEqualTo("+2.8");
    assertThat(WtReport.signedMicros(-1234.5)).isEqualTo("-1,234.5");
    assertThat(WtReport.signedMicros(-0.04)).isEqualTo("+0.0");
  }

  @Test
  void theRawEchoRunsTheEchoPhasesOnly() {
    assertThat(Phase.SEQ.runsOver(Transport.WT_RAW)).isTrue();
    assertThat(Phase.PIPE.runsOver(Transport.WT_RAW)).isTrue();
    assertThat(Phase.PUSH.runsOver(Transport.WT_RAW)).isFalse();
    assertThat(Phase.PUSH_RATE.runsOver(Transport.WT_RAW)).isFalse();
    assertThat(Phase.PUSH_RATE.runsOver(Transport.WT)).isTrue();
  }

  private static WtSample sample(
      int round,
      Phase phase,
      Transport transport,
      long ops,
      double seconds,
      double serverCpu,
      double... latenciesUs) {
    return new WtSample(
        round,
        phase,
        transport,
        ops,
        seconds,
        0,
        Optional.empty(),
        latenciesUs,
        OptionalDouble.of(serverCpu),
        OptionalDouble.empty());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
