package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePeerTest {

  private static final RpcBenchSettings SETTINGS =
      new RpcBenchSettings(
          64,
          20000,
          2000,
          5,
          1,
          20,
          15,
          List.of(1, 16),
          EnumSet.allOf(SystemId.class),
          List.of(),
          Path.of("node"));

  private static final String OUTPUT =
      """
      {"system":"rpc-websockets","version":"10.0.1","node":"v20.20.2","payloadBytes":64,\
      "sequential":{"calls":20000,"p50us":120.5,"p90us":150,"p99us":300.25,"p999us":900,"meanUs":130},\
      "pipelined":[{"inflight":1,"callsPerSecond":8000.5,"calls":40002,"seconds":5},\
      {"inflight":16,"callsPerSecond":30000,"calls":150000,"seconds":5.001}]}
      """;

  @Test
  void readsTheOneJsonObjectTheNodeBenchmarkPrints() {
    SystemResult result = NodePeer.parse("some noise\n" + OUTPUT, SETTINGS);

    assertThat(result).isInstanceOf(SystemResult.Measured.class);
    SystemResult.Measured m = (SystemResult.Measured) result;
    assertThat(m.label()).isEqualTo("rpc-websockets 10.0.1 (node v20.20.2)");
    assertThat(m.sequential()).isEqualTo(new SequentialStats(20000, 120.5, 150, 300.25, 900, 130));
    assertThat(m.at(16)).contains(new PipelinedStats(16, 30000, 150000, 5.001));
  }

  @Test
  void refusesNumbersTakenWithAnotherPayload() {
    assertThatThrownBy(
            () ->
                NodePeer.parse(
                    OUTPUT.replace("\"payloadBytes\":64", "\"payloadBytes\":8"), SETTINGS))
        .isInstanceOf(BenchmarkException.class)
        .hasMessageContaining("payloadBytes");
  }

  @Test
  void refusesOutputWithoutJson() {
    assertThatThrownBy(() -> NodePeer.parse("Error: something\n", SETTINGS))
        .isInstanceOf(BenchmarkException.class)
        .hasMessageContaining("no JSON object");
  }

  @Test
  void itsTimeoutCoversEveryPhaseWithRoomToSpare() {
    // 2 levels x (1 + 5) s x 1.5 + 22 s of sequential calls + 60 s
    assertThat(NodePeer.timeoutSeconds(SETTINGS)).isEqualTo(100);
  }
}
