package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PushPayloadTest {

  @Test
  void isExactlyAsLongAsAskedWhenTheNumbersFit() {
    String payload = PushPayload.of(12, 1_234_567_890_123L, 128);

    assertThat(payload.getBytes(StandardCharsets.UTF_8)).hasSize(128);
    assertThat(payload)
        .startsWith("{\"bench_seq\":12,\"bench_t\":1234567890123,\"pad\":\"xxx")
        .endsWith("\"}");
  }

  @Test
  void isNeverShorterThanItsNumbers() {
    assertThat(PushPayload.of(1, 2, 0)).isEqualTo("{\"bench_seq\":1,\"bench_t\":2,\"pad\":\"\"}");
  }

  @Test
  void numbersAreFoundInsideAnyEnvelope() {
    String payload = PushPayload.of(42, -9_000_000_000L, 64);
    String switchboard =
        "{\"jsonrpc\":\"2.0\",\"method\":\"notification\",\"params\":{\"id\":\"x\",\"payload\":"
            + payload
            + ",\"metadata\":{}}}";
    String socketIo = "42[\"notification\"," + payload + "]";

    for (String message : new String[] {switchboard, socketIo}) {
      assertThat(PushPayload.seq(message)).isEqualTo(42);
      assertThat(PushPayload.sentNanos(message)).isEqualTo(-9_000_000_000L);
    }
  }

  @Test
  void toleratesWhiteSpaceAroundTheColon() {
    assertThat(PushPayload.seq("{ \"bench_seq\" : 7 , \"bench_t\":\n8 }")).isEqualTo(7);
    assertThat(PushPayload.sentNanos("{ \"bench_seq\" : 7 , \"bench_t\":\n8 }")).isEqualTo(8);
  }

  @Test
  void aMessageWithoutOurPayloadHasNoNumbers() {
    assertThat(PushPayload.seq("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"))
        .isEqualTo(Long.MIN_VALUE);
    assertThat(PushPayload.seq("{\"bench_seq\":\"seven\"}")).isEqualTo(Long.MIN_VALUE);
    assertThat(PushPayload.sentNanos("{\"bench_t\"}")).isEqualTo(Long.MIN_VALUE);
  }
}
