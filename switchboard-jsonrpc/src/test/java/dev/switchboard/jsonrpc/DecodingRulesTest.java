package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * The JSON-RPC 2.0 rules the codecs apply to what arrives, written as JSON text and checked with
 * both encodings: for MessagePack the same tree is sent as MessagePack bytes.
 */
class DecodingRulesTest {

  private static final ObjectMapper PLAIN_JSON = JsonMapper.builder().build();
  private static final ObjectMapper PLAIN_MSGPACK = new MessagePackMapper();

  /** {@code json} as the bytes of {@code encoding}: the text itself, or its tree as MessagePack. */
  static byte[] bytes(Encoding encoding, String json) {
    try {
      return switch (encoding) {
        case JSON -> json.getBytes(StandardCharsets.UTF_8);
        case MSGPACK -> PLAIN_MSGPACK.writeValueAsBytes(PLAIN_JSON.readTree(json));
      };
    } catch (IOException e) {
      throw new UncheckedIOException("test input is not JSON: " + json, e);
    }
  }

  static Decoded decode(Encoding encoding, String json) {
    return Codec.of(encoding).decode(bytes(encoding, json));
  }

  static Entry single(Encoding encoding, String json) {
    Decoded decoded = decode(encoding, json);
    assertThat(decoded).as("decoded %s", json).isInstanceOf(Decoded.Single.class);
    return ((Decoded.Single) decoded).entry();
  }

  static JsonNode tree(String json) {
    try {
      return PLAIN_JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertInvalidRequest(Entry entry, Id expectedId) {
    assertThat(entry).isInstanceOf(Invalid.class);
    Invalid invalid = (Invalid) entry;
    assertThat(invalid.id()).isEqualTo(expectedId);
    assertThat(invalid.error().code()).isEqualTo(ErrorObject.INVALID_REQUEST);
    assertThat(invalid.error().message()).isNotBlank();
  }

  // ---- requests and notifications

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestWithPositionalParamsDecodesToARequest(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}");

    assertThat(entry)
        .isEqualTo(
            new Request(Id.of(1), "subtract", new Params.ByPosition((ArrayNode) tree("[42, 23]"))));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestWithNamedParamsDecodesToARequestWithParamsByName(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, "
                + "\"id\": 3}");

    assertThat(entry).isInstanceOf(Request.class);
    assertThat(((Request) entry).params())
        .isEqualTo(new Params.ByName((ObjectNode) tree("{\"subtrahend\": 23, \"minuend\": 42}")));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestWithoutParamsMemberHasNoParams(Encoding encoding) {
    Entry entry =
        single(encoding, "{\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"9\"}");

    assertThat(entry).isEqualTo(new Request(Id.of("9"), "get_data", Params.none()));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void membersMayComeInAnyOrder(Encoding encoding) {
    Entry entry =
        single(
            encoding, "{\"id\": 4, \"params\": [1], \"method\": \"echo\", \"jsonrpc\": \"2.0\"}");

    assertThat(entry).isEqualTo(new Request(Id.of(4), "echo", Params.of(1)));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestWithNullIdIsARequestNotANotification(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1], \"id\": null}");

    assertThat(entry).isEqualTo(new Request(Id.nullId(), "echo", Params.of(1)));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestWithoutIdMemberIsANotification(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1, 2, 3, 4, 5]}");

    assertThat(entry).isEqualTo(new Notification("update", Params.of(1, 2, 3, 4, 5)));
  }

  static Stream<Arguments> validIds() {
    return Stream.of(Encoding.values())
        .flatMap(
            encoding ->
                Stream.of(
                    Arguments.of(encoding, "0", Id.of(0)),
                    Arguments.of(encoding, "-1", Id.of(-1)),
                    Arguments.of(encoding, "42", Id.of(42)),
                    Arguments.of(encoding, "2147483648", Id.of(2147483648L)),
                    Arguments.of(encoding, "9223372036854775807", Id.of(Long.MAX_VALUE)),
                    Arguments.of(encoding, "-9223372036854775808", Id.of(Long.MIN_VALUE)),
                    Arguments.of(encoding, "\"\"", Id.of("")),
                    Arguments.of(encoding, "\"1\"", Id.of("1")),
                    Arguments.of(
                        encoding,
                        "\"r\u00e9ponse \u2603 \ud83d\ude00\"",
                        Id.of("r\u00e9ponse \u2603 \ud83d\ude00")),
                    Arguments.of(encoding, "null", Id.nullId())));
  }

  @ParameterizedTest
  @MethodSource("validIds")
  void stringIntegerAndNullIdsAreReadExactly(Encoding encoding, String idJson, Id expected) {
    Entry entry =
        single(encoding, "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"id\": " + idJson + "}");

    assertThat(entry).isInstanceOf(Request.class);
    assertThat(((Request) entry).id()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.5",
        "-0.5",
        "1.0",
        "9223372036854775808",
        "18446744073709551615",
        "true",
        "[]",
        "{}",
        "[1]",
        "{\"id\": 1}"
      })
  void idThatIsNotAStringAnIntegerOrNullIsAnInvalidRequestWithNullId(String idJson) {
    for (Encoding encoding : Encoding.values()) {
      Entry entry =
          single(
              encoding,
              "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1], \"id\": "
                  + idJson
                  + "}");

      assertInvalidRequest(entry, Id.nullId());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-9223372036854775809", "123456789012345678901234567890", "1E400"})
  void jsonIdBeyondTheLongRangeIsAnInvalidRequestWithNullId(String idJson) {
    // Numbers MessagePack cannot carry at all.
    Entry entry =
        single(
            Encoding.JSON, "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"id\": " + idJson + "}");

    assertInvalidRequest(entry, Id.nullId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"bar\"", "1", "true", "null"})
  void paramsThatAreNeitherAnArrayNorAnObjectAreAnInvalidRequest(String paramsJson) {
    for (Encoding encoding : Encoding.values()) {
      Entry request =
          single(
              encoding,
              "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"params\": "
                  + paramsJson
                  + ", \"id\": 7}");
      Entry notification =
          single(
              encoding,
              "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"params\": " + paramsJson + "}");

      assertInvalidRequest(request, Id.of(7));
      assertInvalidRequest(notification, Id.nullId());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void specificationsInvalidRequestObjectIsAnInvalidRequestWithNullId(Encoding encoding) {
    assertInvalidRequest(
        single(encoding, "{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}"),
        Id.nullId());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ", \"jsonrpc\": \"1.0\"",
        ", \"jsonrpc\": 2.0",
        ", \"jsonrpc\": \"2.00\"",
        ", \"jsonrpc\": null",
        ", \"jsonrpc\": \"2\""
      })
  void jsonrpcMemberMustBeTheString20(String jsonrpcMember) {
    for (Encoding encoding : Encoding.values()) {
      Entry request = single(encoding, "{\"method\": \"echo\", \"id\": 5" + jsonrpcMember + "}");
      Entry notification = single(encoding, "{\"method\": \"echo\"" + jsonrpcMember + "}");

      assertInvalidRequest(request, Id.of(5));
      assertInvalidRequest(notification, Id.nullId());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "null", "true", "[\"echo\"]", "{}"})
  void methodMustBeAString(String methodJson) {
    for (Encoding encoding : Encoding.values()) {
      assertInvalidRequest(
          single(encoding, "{\"jsonrpc\": \"2.0\", \"method\": " + methodJson + ", \"id\": \"a\"}"),
          Id.of("a"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "\"x\"", "null", "true"})
  void aSingleValueThatIsNotAnObjectIsAnInvalidRequestWithNullId(String json) {
    for (Encoding encoding : Encoding.values()) {
      assertInvalidRequest(single(encoding, json), Id.nullId());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void objectWithNeitherMethodNorResultNorErrorIsAnInvalidRequest(Encoding encoding) {
    Entry entry = single(encoding, "{\"foo\": \"boo\"}");

    assertInvalidRequest(entry, Id.nullId());
  }

  // ---- the timeout_ms extension member

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void timeoutIsReadFromTheTimeoutMsMember(Encoding encoding) {
    Entry with =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"sleep\", \"params\": [10], \"id\": 1, "
                + "\"timeout_ms\": 250}");
    Entry zero =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"sleep\", \"id\": 2, \"timeout_ms\": 0}");
    Entry huge =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"sleep\", \"id\": 3, "
                + "\"timeout_ms\": 9223372036854775807}");
    Entry without = single(encoding, "{\"jsonrpc\": \"2.0\", \"method\": \"sleep\", \"id\": 4}");

    assertThat(((Request) with).timeoutMillis()).isEqualTo(OptionalLong.of(250));
    assertThat(((Request) zero).timeoutMillis()).isEqualTo(OptionalLong.of(0));
    assertThat(((Request) huge).timeoutMillis()).isEqualTo(OptionalLong.of(Long.MAX_VALUE));
    assertThat(((Request) without).timeoutMillis()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "-9223372036854775808",
        "1.5",
        "\"100\"",
        "true",
        "null",
        "[100]",
        "{}",
        "9223372036854775808"
      })
  void negativeOrNonIntegerTimeoutIsAnInvalidRequestWithTheRequestsId(String timeoutJson) {
    for (Encoding encoding : Encoding.values()) {
      Entry entry =
          single(
              encoding,
              "{\"jsonrpc\": \"2.0\", \"method\": \"sleep\", \"id\": \"t\", \"timeout_ms\": "
                  + timeoutJson
                  + "}");

      assertInvalidRequest(entry, Id.of("t"));
    }
  }

  // ---- batches

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void emptyBatchIsOneInvalidRequestWithNullId(Encoding encoding) {
    assertInvalidRequest(single(encoding, "[]"), Id.nullId());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void batchOfNonObjectsIsOneInvalidRequestPerElement(Encoding encoding) {
    Decoded decoded = decode(encoding, "[1, 2, 3]");

    assertThat(decoded).isInstanceOf(Decoded.Batch.class);
    List<Entry> entries = ((Decoded.Batch) decoded).entries();
    assertThat(entries).hasSize(3);
    entries.forEach(entry -> assertInvalidRequest(entry, Id.nullId()));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void batchOfOneInvalidElementIsStillABatch(Encoding encoding) {
    Decoded decoded = decode(encoding, "[1]");

    assertThat(decoded).isInstanceOf(Decoded.Batch.class);
    assertThat(((Decoded.Batch) decoded).entries()).hasSize(1);
    assertInvalidRequest(((Decoded.Batch) decoded).entries().getFirst(), Id.nullId());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void nestedEmptyBatchIsAnInvalidElementOfTheOuterBatch(Encoding encoding) {
    Decoded decoded = decode(encoding, "[[]]");

    assertThat(decoded).isInstanceOf(Decoded.Batch.class);
    assertInvalidRequest(((Decoded.Batch) decoded).entries().getFirst(), Id.nullId());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void mixedBatchDecodesEveryElementInOrder(Encoding encoding) {
    Decoded decoded =
        decode(
            encoding,
            """
        [
          {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
          {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
          {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
          {"foo": "boo"},
          {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
          {"jsonrpc": "2.0", "method": "get_data", "id": "9"},
          {"jsonrpc": "2.0", "result": 7, "id": 1},
          {"jsonrpc": "2.0", "result": 7}
        ]""");

    assertThat(decoded).isInstanceOf(Decoded.Batch.class);
    List<Entry> entries = ((Decoded.Batch) decoded).entries();
    assertThat(entries).hasSize(8);
    assertThat(entries.get(0)).isEqualTo(new Request(Id.of("1"), "sum", Params.of(1, 2, 4)));
    assertThat(entries.get(1)).isEqualTo(new Notification("notify_hello", Params.of(7)));
    assertThat(entries.get(2)).isEqualTo(new Request(Id.of("2"), "subtract", Params.of(42, 23)));
    assertInvalidRequest(entries.get(3), Id.nullId());
    assertThat(entries.get(4))
        .isEqualTo(new Request(Id.of("5"), "foo.get", Params.named(Map.of("name", "myself"))));
    assertThat(entries.get(5)).isEqualTo(new Request(Id.of("9"), "get_data", Params.none()));
    assertThat(entries.get(6)).isEqualTo(Response.success(Id.of(1), Json.nodes().numberNode(7)));
    assertThat(entries.get(7)).isInstanceOf(Discarded.class);
  }

  // ---- responses

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void successfulResponseDecodesToSuccess(Encoding encoding) {
    Entry entry =
        single(encoding, "{\"jsonrpc\": \"2.0\", \"result\": {\"a\": [1, \"b\"]}, \"id\": \"x\"}");

    assertThat(entry).isEqualTo(Response.success(Id.of("x"), tree("{\"a\": [1, \"b\"]}")));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void nullResultIsASuccessNotAMalformedResponse(Encoding encoding) {
    Entry entry = single(encoding, "{\"jsonrpc\": \"2.0\", \"result\": null, \"id\": 1}");

    assertThat(entry).isEqualTo(Response.success(Id.of(1), Json.nodes().nullNode()));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void errorResponseDecodesToFailureWithItsData(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not "
                + "found\", \"data\": {\"method\": \"foo\"}}, \"id\": \"1\"}");
    Entry withoutData =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": 42, \"message\": \"\"}, " + "\"id\": 2}");

    assertThat(entry)
        .isEqualTo(
            Response.failure(
                Id.of("1"),
                ErrorObject.of(
                    ErrorObject.METHOD_NOT_FOUND,
                    "Method not found",
                    tree("{\"method\": \"foo\"}"))));
    assertThat(withoutData).isEqualTo(Response.failure(Id.of(2), ErrorObject.of(42, "")));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void errorResponseWithNullIdIsAFailure(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse "
                + "error\"}, \"id\": null}");

    assertThat(entry)
        .isEqualTo(
            Response.failure(Id.nullId(), ErrorObject.of(ErrorObject.PARSE_ERROR, "Parse error")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"jsonrpc\": \"2.0\", \"result\": 1, \"error\": {\"code\": 1, \"message\": \"m\"}, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"result\": 1, \"error\": null, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"result\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": 1, \"message\": \"m\"}}",
        "{\"jsonrpc\": \"2.0\", \"result\": 1, \"id\": 1.5}",
        "{\"jsonrpc\": \"2.0\", \"result\": 1, \"id\": {}}",
        "{\"jsonrpc\": \"2.0\", \"result\": 1, \"id\": 9223372036854775808}",
        "{\"result\": 1, \"id\": 1}",
        "{\"jsonrpc\": \"1.0\", \"result\": 1, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": \"boom\", \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": null, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": [-32000, \"boom\"], \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"message\": \"no code\"}, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": 1.5, \"message\": \"m\"}, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": \"-32000\", \"message\": \"m\"}, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": 2147483648, \"message\": \"m\"}, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32000}, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32000, \"message\": 7}, \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32000, \"message\": null}, \"id\": 1}"
      })
  void malformedResponseIsDiscardedNotAnswered(String json) {
    for (Encoding encoding : Encoding.values()) {
      Entry entry = single(encoding, json);

      assertThat(entry).as("%s with %s", json, encoding).isInstanceOf(Discarded.class);
      assertThat(((Discarded) entry).reason()).isNotBlank();
    }
  }

  // ---- input that is not JSON (or not MessagePack)

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]",
        "[{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"}, {\"jsonrpc\": \"2.0\", "
            + "\"method\"]",
        "{\"a\":1} x",
        "{\"a\":1} {}",
        "[] []",
        "{\"jsonrpc\": \"2.0\"",
        "{'jsonrpc': '2.0'}",
        "{\"jsonrpc\": \"2.0\", \"method\": \"x\", \"params\": [NaN], \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"method\": \"x\", \"params\": [01], \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"method\": \"x\", \"id\": 1,}",
        "nul",
        "",
        "   ",
        "\n"
      })
  void textThatIsNotExactlyOneJsonValueIsUnparsable(String text) {
    Decoded decoded = Codec.json().decode(text.getBytes(StandardCharsets.UTF_8));

    assertThat(decoded).as("decoded %s", text).isInstanceOf(Decoded.Unparsable.class);
    assertThat(((Decoded.Unparsable) decoded).reason()).isNotBlank();
  }

  @Test
  void invalidUtf8IsUnparsable() {
    byte[] bytes =
        "{\"jsonrpc\": \"2.0\", \"method\": \"?\", \"id\": 1}".getBytes(StandardCharsets.UTF_8);
    // A two-byte lead followed by '"', which is no continuation byte.
    bytes[indexOf(bytes, (byte) '?')] = (byte) 0xC3;

    assertThat(Codec.json().decode(bytes)).isInstanceOf(Decoded.Unparsable.class);
  }

  private static int indexOf(byte[] bytes, byte value) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    throw new AssertionError("no " + value);
  }

  @Test
  void jsonNestedDeeperThanTheParserAllowsIsUnparsable() {
    String deep = "[".repeat(5000) + "]".repeat(5000);

    assertThat(Codec.json().decode(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Decoded.Unparsable.class);
  }

  @Test
  void emptyMessagePackIsUnparsable() {
    assertThat(Codec.msgpack().decode(new byte[0])).isInstanceOf(Decoded.Unparsable.class);
  }

  @Test
  void truncatedMessagePackIsUnparsable() {
    byte[] whole =
        bytes(
            Encoding.MSGPACK,
            "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1], \"id\": 1}");

    for (int length = 1; length < whole.length; length++) {
      assertThat(Codec.msgpack().decode(Arrays.copyOf(whole, length)))
          .as("the first %d of %d bytes", length, whole.length)
          .isInstanceOf(Decoded.Unparsable.class);
    }
  }

  @Test
  void messagePackWithTrailingBytesIsUnparsable() {
    byte[] whole =
        bytes(
            Encoding.MSGPACK,
            "{\"jsonrpc\": \"2.0\", \"method\": \"echo\", \"params\": [1], \"id\": 1}");
    byte[] twoValues = Arrays.copyOf(whole, whole.length + 1);
    twoValues[whole.length] = (byte) 0xC0; // nil: a complete second value

    assertThat(Codec.msgpack().decode(twoValues)).isInstanceOf(Decoded.Unparsable.class);
  }

  @Test
  void messagePackReservedByteIsUnparsable() {
    assertThat(Codec.msgpack().decode(new byte[] {(byte) 0xC1}))
        .isInstanceOf(Decoded.Unparsable.class);
  }

  @Test
  void messagePackLengthBeyondTheInputIsUnparsable() {
    byte[] str32 = {(byte) 0xDB, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'a'};
    byte[] array32 = {(byte) 0xDD, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xC0};

    assertThat(Codec.msgpack().decode(str32)).isInstanceOf(Decoded.Unparsable.class);
    assertThat(Codec.msgpack().decode(array32)).isInstanceOf(Decoded.Unparsable.class);
  }
}
