package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
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
  void theJsonShapeIsAnExactlySizedOrderThatDiffersFromMessageToMessageAndDeflatesAboutThreeToOne()
      throws Exception {
    String first = PushPayload.of(1, 99, 4096, PushPayload.Shape.JSON);
    String second = PushPayload.of(2, 99, 4096, PushPayload.Shape.JSON);

    assertThat(first.getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    JsonNode order = new ObjectMapper().readTree(first);
    assertThat(order.path("bench_seq").asLong()).isEqualTo(1);
    assertThat(order.path("bench_t").asLong()).isEqualTo(99);
    assertThat(order.path("order").path("items").size()).isGreaterThan(20);
    assertThat(PushPayload.seq(first)).isEqualTo(1);
    assertThat(second).isNotEqualTo(first.replace("\"bench_seq\":1", "\"bench_seq\":2"));
    double ratio = (double) deflated(first) / first.length();
    assertThat(ratio).as("deflated / plain").isBetween(0.2, 0.5);
  }

  @Test
  void theJsonShapeNeverCutsItsHead() throws Exception {
    String tiny = PushPayload.of(3, 4, 10, PushPayload.Shape.JSON);

    assertThat(new ObjectMapper().readTree(tiny).path("order").path("items").size()).isZero();
  }

  private static int deflated(String text) {
    Deflater deflater = new Deflater(6, true);
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[text.length() * 2];
    int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    deflater.end();
    return n;
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
