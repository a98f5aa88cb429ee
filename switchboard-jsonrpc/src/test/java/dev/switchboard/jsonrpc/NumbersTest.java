package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Numbers survive the codec as sent, and Java values become the numbers a Java user expects. */
class NumbersTest {

  private static String echoed(String params) {
    Decoded decoded =
        Codec.json()
            .decode(
                ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + params + ",\"id\":1}")
                    .getBytes(StandardCharsets.UTF_8));
    Request request = (Request) ((Decoded.Single) decoded).entry();
    byte[] again = Codec.json().encode(Response.success(request.id(), request.params().node()));
    String text = new String(again, StandardCharsets.UTF_8);
    return text.substring(text.indexOf("\"result\":") + 9, text.lastIndexOf(",\"id\""));
  }

  @Test
  void aFloatWithAnExponentStaysAFloat() {
    assertThat(echoed("[1.3040455E7]")).isEqualTo("[1.3040455E7]");
  }

  @Test
  void numbersADoubleCannotHoldAreEchoedExactly() {
    assertThat(echoed("[1e400,0.1000000000000000000001,-2.5]"))
        .isEqualTo("[1E+400,0.1000000000000000000001,-2.5]");
  }

  @Test
  void aFloatWithATrailingZeroIsNotAnInteger() {
    assertThat(echoed("[1.0]")).isEqualTo("[1.0]");
  }

  @Test
  void aWholeBigDecimalValueIsSentAsAnInteger() {
    assertThat(Json.toNode(BigDecimal.valueOf(7)).isIntegralNumber()).isTrue();
    assertThat(Json.toNode(new BigDecimal("3.50")).toString()).isEqualTo("3.5");
  }
}
