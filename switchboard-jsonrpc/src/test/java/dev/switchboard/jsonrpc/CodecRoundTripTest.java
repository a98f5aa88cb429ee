package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * Every kind of message survives encode then decode with both codecs, and both agree on the model.
 */
class CodecRoundTripTest {

  private static final ObjectMapper PLAIN_JSON = JsonMapper.builder().build();
  private static final ObjectMapper PLAIN_MSGPACK = new MessagePackMapper();

  static JsonNode tree(String json) {
    try {
      return PLAIN_JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a plain Jackson mapper of the codec's format reads from {@code bytes}. */
  static JsonNode plainTree(Codec codec, byte[] bytes) {
    try {
      return (codec.encoding() == Encoding.JSON ? PLAIN_JSON : PLAIN_MSGPACK).readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Message> messages() {
    Map<String, Object> named = new LinkedHashMap<>();
    named.put("subtrahend", 23);
    named.put("minuend", 42);
    named.put("nothing", null);
    return Stream.of(
        new Request(Id.of(1), "subtract", Params.of(42, 23)),
        new Request(Id.of("abc"), "subtract", Params.named(named)),
        new Request(Id.nullId(), "echo", Params.of("x")),
        new Request(Id.of(0), "get_data", Params.none()),
        new Request(Id.of(Long.MAX_VALUE), "sleep", Params.of(5), OptionalLong.of(1500)),
        new Request(Id.of(Long.MIN_VALUE), "sleep", Params.of(5), OptionalLong.of(0)),
        new Request(
            Id.of(-7),
            "nested",
            new Params.ByPosition(
                (ArrayNode)
                    tree(
                        "[[], {}, [1, [2, [3]]], {\"a\": {\"b\": [true, false, null]}}, 1.5, -0.25, 1e300, 4294967296, "
                            + "\"\\u0000\\t\\\"\\\\ \u00e9\u2603\ud83d\ude00\"]"))),
        new Request(Id.of("\u2603"), "", new Params.ByName((ObjectNode) tree("{}"))),
        new Notification("update", Params.of(1, 2, 3, 4, 5)),
        new Notification("notify_hello", Params.none()),
        new Notification("rpc.cancel", Params.named(Map.of("id", 17))),
        new Request(
            Id.of(8),
            "traced",
            Params.of(1),
            OptionalLong.of(250),
            Optional.of(
                new TraceContext(
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    Optional.of("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")))),
        new Notification(
            "traced",
            Params.none(),
            Optional.of(
                TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))),
        Response.success(Id.of(1), Json.nodes().numberNode(19)),
        Response.success(Id.of("1"), null),
        Response.success(Id.nullId(), tree("[\"hello\", 5]")),
        Response.success(Id.of(2), tree("{\"deep\": [[[[{}]]]], \"s\": \"\"}")),
        Response.success(Id.of(3), Json.nodes().booleanNode(false)),
        Response.failure(
            Id.of("1"), ErrorObject.of(ErrorObject.METHOD_NOT_FOUND, "Method not found")),
        Response.failure(Id.nullId(), ErrorObject.of(ErrorObject.PARSE_ERROR, "Parse error")),
        Response.failure(
            Id.of(9), ErrorObject.of(Integer.MIN_VALUE, "", tree("{\"why\": [1, \"two\"]}"))),
        Response.failure(
            Id.of(10), ErrorObject.of(Integer.MAX_VALUE, "data is null", Json.nodes().nullNode())));
  }

  static Stream<Arguments> messagesWithCodecs() {
    return messages()
        .flatMap(m -> Stream.of(Arguments.of(Codec.json(), m), Arguments.of(Codec.msgpack(), m)));
  }

  @ParameterizedTest
  @MethodSource("messagesWithCodecs")
  void everyMessageKindRoundTrips(Codec codec, Message message) {
    Decoded decoded = codec.decode(codec.encode(message));

    assertThat(decoded).isEqualTo(new Decoded.Single(message));
  }

  @ParameterizedTest
  @MethodSource("messages")
  void jsonAndMessagePackDecodeToTheSameModel(Message message) {
    Decoded viaJson = Codec.json().decode(Codec.json().encode(message));
    Decoded viaMsgpack = Codec.msgpack().decode(Codec.msgpack().encode(message));

    assertThat(viaMsgpack).isEqualTo(viaJson);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void batchRoundTripsInOrder(Encoding encoding) {
    Codec codec = Codec.of(encoding);
    List<Message> batch = messages().toList();

    Decoded decoded = codec.decode(codec.encodeBatch(batch));

    assertThat(decoded).isEqualTo(new Decoded.Batch(List.copyOf(batch)));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void batchOfOneIsStillABatch(Encoding encoding) {
    Codec codec = Codec.of(encoding);
    Message only = new Request(Id.of(1), "echo", Params.of(1));

    assertThat(codec.decode(codec.encodeBatch(List.of(only))))
        .isEqualTo(new Decoded.Batch(List.of(only)));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void codecOfAnEncodingUsesThatEncoding(Encoding encoding) {
    assertThat(Codec.of(encoding).encoding()).isEqualTo(encoding);
    assertThat(Codec.json().encoding()).isEqualTo(Encoding.JSON);
    assertThat(Codec.msgpack().encoding()).isEqualTo(Encoding.MSGPACK);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-1",
        "1",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "-9223372036854775808",
        "\"\"",
        "\"0\"",
        "\"id with spaces\"",
        "\"\u00e9\u2603\ud83d\ude00\"",
        "\"\\u0000\\\"\\\\\"",
        "null"
      })
  void idOfARequestIsEchoedExactlyInItsResponse(String idJson) {
    for (Codec codec : List.of(Codec.json(), Codec.msgpack())) {
      String requestJson =
          "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1], \"id\": " + idJson + "}";
      Decoded decoded = codec.decode(DecodingRulesTest.bytes(codec.encoding(), requestJson));
      assertThat(decoded)
          .as("%s with %s", requestJson, codec.encoding())
          .isInstanceOf(Decoded.Single.class);
      Request request = (Request) ((Decoded.Single) decoded).entry();

      JsonNode success =
          plainTree(
              codec, codec.encode(Response.success(request.id(), Json.nodes().numberNode(1))));
      JsonNode failure =
          plainTree(codec, codec.encode(Response.failure(request.id(), ErrorObject.of(-1, "no"))));

      JsonNode sent = tree(idJson);
      assertSameId(success.get("id"), sent);
      assertSameId(failure.get("id"), sent);
    }
  }

  /**
   * Equal ids: the same string, null, or the same integer whatever width the format stored it in.
   */
  private static void assertSameId(JsonNode echoed, JsonNode sent) {
    assertThat(echoed).as("id member").isNotNull();
    if (sent.isIntegralNumber()) {
      assertThat(echoed.isIntegralNumber()).as("%s is an integer", echoed).isTrue();
      assertThat(echoed.bigIntegerValue()).isEqualTo(sent.bigIntegerValue());
    } else {
      assertThat(echoed).isEqualTo(sent);
    }
  }

  @Test
  void integerParamsBeyondLongSurviveAsIntegers() {
    BigInteger big = new BigInteger("123456789012345678901234567890");
    Request request = new Request(Id.of(1), "echo", Params.of(big));

    Decoded decoded = Codec.json().decode(Codec.json().encode(request));

    assertThat(decoded).isEqualTo(new Decoded.Single(request));
  }

  @Test
  void numberBeyondTheRangeOfADoubleIsNotTurnedIntoAString() {
    byte[] bytes =
        "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1e400, -1e400], \"id\": 1}"
            .getBytes(StandardCharsets.UTF_8);

    Decoded decoded = Codec.json().decode(bytes);

    // Rejecting the number and keeping it are both fine; answering "Infinity" (a string) for a
    // number is not.
    if (decoded instanceof Decoded.Single(Request request)) {
      byte[] again = Codec.json().encode(request);
      JsonNode params = plainTree(Codec.json(), again).get("params");
      assertThat(params.get(0).isNumber()).as("re-encoded as %s", params).isTrue();
      assertThat(params.get(1).isNumber()).as("re-encoded as %s", params).isTrue();
      assertThat(Codec.json().decode(again)).isEqualTo(decoded);
    } else {
      assertThat(decoded).isInstanceOfAny(Decoded.Unparsable.class, Decoded.Single.class);
      if (decoded instanceof Decoded.Single single) {
        assertThat(single.entry()).isInstanceOf(Invalid.class);
      }
    }
  }
}
