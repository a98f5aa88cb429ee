package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void theRawFrameIsTheRequestSwitchboardSends() {
    Workload workload = Workload.of(10, Duration.ofSeconds(30));

    assertThat(workload.payload()).isEqualTo("abcdefghij");
    assertThat(workload.requestFrame())
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"abcdefghij\"],\"timeout_ms\":30000,"
                + "\"id\":1000000}");
  }

  @Test
  void thePayloadHasExactlyTheAskedLength() {
    assertThat(Workload.of(0, Duration.ofSeconds(1)).payload()).isEmpty();
    assertThat(Workload.of(100, Duration.ofSeconds(1)).payload())
        .hasSize(100)
        .matches("[a-zA-Z0-9]+");
  }
}
