package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the codecs write, read back with plain Jackson: the members JSON-RPC 2.0 requires, and no
 * others.
 */
class EncodingTest {

  static Stream<Codec> codecs() {
    return Stream.of(Codec.json(), Codec.msgpack());
  }

  private static JsonNode written(Codec codec, Message message) {
    return CodecRoundTripTest.plainTree(codec, codec.encode(message));
  }

  private static List<String> memberNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void requestWritesJsonrpcMethodParamsAndId(Codec codec) {
    JsonNode json = written(codec, new Request(Id.of(1), "subtract", Params.of(42, 23)));

    assertThat(json)
        .isEqualTo(
            CodecRoundTripTest.tree(
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}"));
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void requestWithoutParamsHasNoParamsMember(Codec codec) {
    JsonNode json = written(codec, new Request(Id.of("a"), "get_data", Params.none()));

    assertThat(json.has("params")).isFalse();
    assertThat(json)
        .isEqualTo(
            CodecRoundTripTest.tree(
                "{\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"a\"}"));
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void requestWithNullIdWritesTheIdMemberAsNull(Codec codec) {
    JsonNode json = written(codec, new Request(Id.nullId(), "echo", Params.none()));

    assertThat(json.has("id")).isTrue();
    assertThat(json.get("id").isNull()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void notificationHasNoIdMember(Codec codec) {
    JsonNode json = written(codec, new Notification("update", Params.named(Map.of("a", 1))));

    assertThat(json)
        .isEqualTo(
            CodecRoundTripTest.tree(
                "{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": {\"a\": 1}}"));
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void timeoutIsWrittenAsAnIntegerTimeoutMsMemberOnlyWhenSet(Codec codec) {
    JsonNode with =
        written(codec, new Request(Id.of(1), "sleep", Params.of(5), OptionalLong.of(1500)));
    JsonNode without = written(codec, new Request(Id.of(2), "sleep", Params.of(5)));

    assertThat(with.get("timeout_ms").isIntegralNumber()).isTrue();
    assertThat(with.get("timeout_ms").longValue()).isEqualTo(1500);
    assertThat(without.has("timeout_ms")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void successWritesResultAndNoError(Codec codec) {
    JsonNode json = written(codec, Response.success(Id.of(1), Json.nodes().numberNode(19)));

    assertThat(json)
        .isEqualTo(CodecRoundTripTest.tree("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}"));
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void nullResultIsWrittenAsAResultMemberHoldingNull(Codec codec) {
    for (Response success :
        List.of(
            Response.success(Id.of(1), null),
            Response.success(Id.of(1), Json.nodes().nullNode()))) {
      JsonNode json = written(codec, success);

      assertThat(json.has("result")).as("result member of %s", json).isTrue();
      assertThat(json.get("result").isNull()).isTrue();
      assertThat(json.has("error")).isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void failureWritesErrorAndNoResult(Codec codec) {
    JsonNode json =
        written(
            codec,
            Response.failure(
                Id.of("1"), ErrorObject.of(ErrorObject.METHOD_NOT_FOUND, "Method not found")));

    assertThat(json)
        .isEqualTo(
            CodecRoundTripTest.tree(
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}"));
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void errorDataIsWrittenOnlyWhenPresent(Codec codec) {
    JsonNode with =
        written(
            codec,
            Response.failure(
                Id.of(1),
                ErrorObject.of(-32000, "boom", CodecRoundTripTest.tree("{\"why\": \"because\"}"))));
    JsonNode withNullData =
        written(
            codec,
            Response.failure(Id.of(1), ErrorObject.of(-32000, "boom", Json.nodes().nullNode())));
    JsonNode without = written(codec, Response.failure(Id.of(1), ErrorObject.of(-32000, "boom")));

    assertThat(with.get("error").get("data"))
        .isEqualTo(CodecRoundTripTest.tree("{\"why\": \"because\"}"));
    assertThat(withNullData.get("error").has("data")).isTrue();
    assertThat(without.get("error").has("data")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void errorResponseWithNullIdWritesTheIdMemberAsNull(Codec codec) {
    JsonNode json =
        written(
            codec,
            Response.failure(Id.nullId(), ErrorObject.of(ErrorObject.PARSE_ERROR, "Parse error")));

    assertThat(json)
        .isEqualTo(
            CodecRoundTripTest.tree(
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}"));
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void batchIsWrittenAsAnArrayOfTheMessagesInOrder(Codec codec) {
    byte[] bytes =
        codec.encodeBatch(
            List.of(
                Response.success(Id.of("1"), Json.nodes().numberNode(7)),
                Response.failure(
                    Id.nullId(), ErrorObject.of(ErrorObject.INVALID_REQUEST, "Invalid Request")),
                Response.success(Id.of("2"), Json.nodes().numberNode(19))));

    assertThat(CodecRoundTripTest.plainTree(codec, bytes))
        .isEqualTo(
            CodecRoundTripTest.tree(
                """
        [
          {"jsonrpc": "2.0", "result": 7, "id": "1"},
          {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
          {"jsonrpc": "2.0", "result": 19, "id": "2"}
        ]"""));
  }

  @Test
  void jsonMembersComeInTheOrderOfTheSpecificationsExamples() {
    String request =
        new String(
            Codec.json()
                .encode(new Request(Id.of(1), "subtract", Params.of(42, 23), OptionalLong.of(100))),
            StandardCharsets.UTF_8);
    String response =
        new String(
            Codec.json().encode(Response.success(Id.of(1), Json.nodes().numberNode(19))),
            StandardCharsets.UTF_8);

    assertThat(memberNames(CodecRoundTripTest.tree(request)))
        .containsExactly("jsonrpc", "method", "params", "timeout_ms", "id");
    assertThat(memberNames(CodecRoundTripTest.tree(response)))
        .containsExactly("jsonrpc", "result", "id");
  }

  @Test
  void transcodingCarriesOneMessageIntoTheOtherEncodingAndBack() {
    Request request = new Request(Id.of(7), "sum", Params.of(1, 2), OptionalLong.empty());
    byte[] json = Codec.json().encode(request);

    byte[] msgpack = Codec.transcode(json, Encoding.JSON, Encoding.MSGPACK);

    assertThat(Codec.msgpack().decode(msgpack)).isEqualTo(new Decoded.Single(request));
    assertThat(Codec.transcode(msgpack, Encoding.MSGPACK, Encoding.JSON)).isEqualTo(json);
    assertThat(Codec.transcode(json, Encoding.JSON, Encoding.JSON)).isSameAs(json);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Codec.transcode(
                    "[1,2]".getBytes(StandardCharsets.UTF_8), Encoding.JSON, Encoding.MSGPACK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a single JSON-RPC message");
  }
}
