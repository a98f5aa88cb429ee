package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is read from outside is bounded: nesting to {@link Json#MAX_DEPTH}, and numbers a double
 * cannot hold to an exponent of {@link Json#MAX_EXPONENT}. Beyond, the mapper fails with a Jackson
 * exception naming the limit (what the HTTP API turns into a 400) and the codecs decode to
 * Unparsable (a Parse error); nothing else escapes.
 */
@Timeout(10)
class ReadLimitsTest {

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private static String request(String params) {
    return "{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"params\": " + params + ", \"id\": 1}";
  }

  // ---- nesting

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aMessageNestedToTheLimitDecodes(Encoding encoding) {
    // The request object is one level: its params take the rest.
    Entry entry = DecodingRulesTest.single(encoding, request(nested(Json.MAX_DEPTH - 1)));

    assertThat(entry).isInstanceOf(Request.class);
  }

  @Test
  void jsonNestedOneLevelDeeperThanTheLimitIsUnparsableNamingTheLimit() {
    Decoded decoded = DecodingRulesTest.decode(Encoding.JSON, request(nested(Json.MAX_DEPTH)));

    assertThat(decoded).isInstanceOf(Decoded.Unparsable.class);
    assertThat(((Decoded.Unparsable) decoded).reason())
        .contains("nesting depth")
        .contains("" + Json.MAX_DEPTH);
  }

  @Test
  void messagePackNestedOneLevelDeeperThanTheLimitIsUnparsableNamingTheLimit() {
    ByteBuffer deep = ByteBuffer.allocate(Json.MAX_DEPTH + 2);
    for (int i = 0; i <= Json.MAX_DEPTH; i++) {
      deep.put((byte) 0x91); // an array of one element
    }
    deep.put((byte) 0xc0); // nil

    Decoded decoded = Codec.msgpack().decode(deep.array());

    assertThat(decoded).isInstanceOf(Decoded.Unparsable.class);
    assertThat(((Decoded.Unparsable) decoded).reason()).contains("" + Json.MAX_DEPTH);
  }

  @Test
  void theMapperRefusesDeepJsonWithAJacksonExceptionNamingTheLimit() {
    assertThatThrownBy(() -> Json.mapper().readTree(nested(999)))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("nesting depth")
        .hasMessageContaining("" + Json.MAX_DEPTH);
  }

  // ---- numbers

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e99999999999",
        "-1e99999999999",
        "1e-99999999999",
        "1E2147483648",
        "1e1001",
        "15e1000",
        "-2.5e-1001",
        "0.1e-1000"
      })
  void theMapperRefusesANumberOutOfRangeWithAJacksonExceptionQuotingIt(String number) {
    assertThatThrownBy(() -> Json.mapper().readTree("{\"n\": [" + number + "]}"))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("number " + number + " is out of range")
        .hasMessageContaining("between -" + Json.MAX_EXPONENT + " and " + Json.MAX_EXPONENT);
  }

  @Test
  void aNumberOfMoreThanAThousandDigitsIsRefusedWithAJacksonException() {
    assertThatThrownBy(() -> Json.mapper().readTree("1" + "0".repeat(1000)))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("1000");
  }

  @Test
  void aNumberOutOfRangeInAMessageIsUnparsableQuotingIt() {
    Decoded decoded = DecodingRulesTest.decode(Encoding.JSON, request("[1e99999999999]"));

    assertThat(decoded).isInstanceOf(Decoded.Unparsable.class);
    assertThat(((Decoded.Unparsable) decoded).reason())
        .contains("1e99999999999")
        .contains("" + Json.MAX_EXPONENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e1000",
        "-9.99e1000",
        "1e-1000",
        "1.5e-1000",
        "1e308",
        "4.9e-324",
        "0e99999",
        "123456789012345678901234567890"
      })
  void aNumberWithinTheLimitIsReadAsSent(String number) throws Exception {
    JsonNode node = Json.mapper().readTree(number);

    assertThat(node.isNumber()).isTrue();
    assertThat(node.decimalValue()).isEqualByComparingTo(new BigDecimal(number));
  }

  @Test
  void aMessagePackInfinityOrNaNIsUnparsable() {
    for (double value :
        new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
      ByteBuffer params =
          ByteBuffer.allocate(10).put((byte) 0x91).put((byte) 0xcb).putDouble(value);
      byte[] message = msgpackRequest(params.array());

      Decoded decoded = Codec.msgpack().decode(message);

      assertThat(decoded).as("%s", value).isInstanceOf(Decoded.Unparsable.class);
      assertThat(((Decoded.Unparsable) decoded).reason())
          .as("%s", value)
          .contains("Infinity or NaN");
    }
  }

  @Test
  void aFiniteMessagePackFloatStillDecodes() {
    ByteBuffer params =
        ByteBuffer.allocate(10).put((byte) 0x91).put((byte) 0xcb).putDouble(Double.MAX_VALUE);

    Entry entry = ((Decoded.Single) Codec.msgpack().decode(msgpackRequest(params.array()))).entry();

    assertThat(((Request) entry).params().node().get(0).doubleValue()).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void aJavaValueOutOfRangeCannotBecomeANode() {
    assertThatThrownBy(() -> Json.toNode(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.toNode(new BigDecimal("1e1001")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Json.toNode(new BigDecimal("1e1000")).decimalValue()).isEqualByComparingTo("1e1000");
  }

  /** {@code {"jsonrpc": "2.0", "method": "m", "params": <params>, "id": 1}} in MessagePack. */
  private static byte[] msgpackRequest(byte[] params) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x84); // a map of four members
    for (String text : new String[] {"jsonrpc", "2.0", "method", "m", "params"}) {
      out.write(0xa0 | text.length()); // a short string
      out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(params);
    out.write(0xa2);
    out.writeBytes("id".getBytes(StandardCharsets.US_ASCII));
    out.write(0x01);
    return out.toByteArray();
  }
}
