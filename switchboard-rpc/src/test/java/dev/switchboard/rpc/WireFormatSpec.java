package dev.switchboard.rpc;

import static dev.switchboard.rpc.RawPeer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.JsonSchemas;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The peer on the wire: every example of the JSON-RPC 2.0 specification (section 7), sent byte for
 * byte by a {@link RawPeer}, then the edges beyond them (ids and numbers echoed exactly, duplicate
 * ids, MessagePack, {@code rpc.discover}). Nothing arrives that a test did not read.
 */
abstract class WireFormatSpec extends PeerSpec {

  private RawPeer peer;

  @BeforeEach
  void connect() {
    peer = raw(methodsOf(new Probe()), RpcConfig.defaults());
  }

  @AfterEach
  void nothingLeftUnread() {
    peer.assertNothingElseArrived();
  }

  private void exchange(String request, String expected) {
    peer.send(request);
    assertThat(json(peer.nextText())).isEqualTo(json(expected));
  }

  /** A batch answer: the same set of responses, in any order. */
  private void exchangeBatch(String request, String expected) {
    peer.send(request);
    JsonNode got = json(peer.nextText());
    assertThat(got.isArray()).as("batch answer is an array: %s", got).isTrue();
    assertThat(asSet(got)).isEqualTo(asSet(json(expected)));
  }

  private static Set<JsonNode> asSet(JsonNode array) {
    Set<JsonNode> set = new HashSet<>();
    array.forEach(element -> set.add(withoutErrorMessage(element)));
    return set;
  }

  /** The specification leaves error messages to the server; compare codes, not wording. */
  private static JsonNode withoutErrorMessage(JsonNode response) {
    JsonNode copy = response.deepCopy();
    if (copy.has("error")) {
      ((ObjectNode) copy.get("error")).remove("message");
    }
    return copy;
  }

  private void exchangeError(String request, int code, String id) {
    peer.send(request);
    JsonNode got = json(peer.nextText());
    assertThat(got.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(got.get("error").get("code").asInt()).isEqualTo(code);
    assertThat(got.get("error").get("message").isTextual()).isTrue();
    assertThat(got.get("id")).isEqualTo(json(id));
    assertThat(got.has("result")).isFalse();
  }

  @Test
  void rpcCallWithPositionalParameters() {
    exchange(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}");
    exchange(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
        "{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}");
  }

  @Test
  void rpcCallWithNamedParameters() {
    exchange(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, "
            + "\"id\": 3}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}");
    exchange(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, "
            + "\"id\": 4}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}");
  }

  @Test
  void notificationsGetNoReply() {
    peer.send("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}");
    peer.send("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}");
    peer.assertNothingElseArrived();
  }

  @Test
  void rpcCallOfNonExistentMethod() {
    exchangeError("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}", -32601, "\"1\"");
  }

  @Test
  void rpcCallWithInvalidJson() {
    exchangeError(
        "{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]", -32700, "null");
  }

  @Test
  void rpcCallWithInvalidRequestObject() {
    exchangeError("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}", -32600, "null");
  }

  @Test
  void rpcCallBatchWithInvalidJson() {
    exchangeError(
        "[\n  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\"\n]",
        -32700,
        "null");
  }

  @Test
  void rpcCallWithAnEmptyArray() {
    exchangeError("[]", -32600, "null");
  }

  @Test
  void rpcCallWithAnInvalidBatchButNotEmpty() {
    exchangeBatch("[1]", "[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600}, \"id\": null}]");
  }

  @Test
  void rpcCallWithInvalidBatch() {
    exchangeBatch(
        "[1,2,3]",
        "["
            + "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600}, \"id\": null},"
            + "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600}, \"id\": null},"
            + "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600}, \"id\": null}]");
  }

  @Test
  void rpcCallBatch() {
    exchangeBatch(
        """
        [
          {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
          {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
          {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
          {"foo": "boo"},
          {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
          {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
        ]""",
        """
        [
          {"jsonrpc": "2.0", "result": 7, "id": "1"},
          {"jsonrpc": "2.0", "result": 19, "id": "2"},
          {"jsonrpc": "2.0", "error": {"code": -32600}, "id": null},
          {"jsonrpc": "2.0", "error": {"code": -32601}, "id": "5"},
          {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
        ]""");
  }

  @Test
  void rpcCallBatchOfAllNotificationsGetsNoReplyAtAll() {
    peer.send(
        """
        [
          {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
          {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
        ]""");
    peer.assertNothingElseArrived();
  }

  // Edge cases beyond the specification's examples.

  @Test
  void nullIdIsARequestAndGetsAReply() {
    exchange(
        "{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1, 2], \"id\": null}",
        "{\"jsonrpc\": \"2.0\", \"result\": 3, \"id\": null}");
  }

  @Test
  void idsAreEchoedExactly() {
    exchange(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":0}",
        "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":0}");
    exchange(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":-9223372036854775808}",
        "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":-9223372036854775808}");
    exchange(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":\"\\u00e9 x\"}",
        "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":\"\\u00e9 x\"}");
  }

  @Test
  void numbersAreEchoedExactly() {
    peer.send(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[[1e400, 0.1000000000000000000001, 1.5, "
            + "12345678901234567890123]],\"id\":1}");
    String answer = peer.nextText();
    assertThat(answer)
        .contains("1E+400")
        .contains("0.1000000000000000000001")
        .contains("1.5")
        .contains("12345678901234567890123")
        .doesNotContain("Infinity");
  }

  @Test
  void aMethodReturningNothingAnswersWithResultNull() {
    peer.send("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1], \"id\": 10}");
    JsonNode got = json(peer.nextText());
    assertThat(got.has("result")).as("result member present: %s", got).isTrue();
    assertThat(got.get("result").isNull()).isTrue();
    assertThat(got.has("error")).isFalse();
  }

  @Test
  void invalidParamsAreAnsweredWithMinus32602NamingTheParam() {
    peer.send(
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"minuend\":\"x\"},\"id\":1}");
    JsonNode got = json(peer.nextText());
    assertThat(got.get("error").get("code").asInt()).isEqualTo(-32602);
    assertThat(got.get("error").get("message").asText()).contains("minuend");
    exchangeError(
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"nope\":1},\"id\":2}",
        -32602,
        "2");
    exchangeError(
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[1,2,3],\"id\":3}", -32602, "3");
  }

  @Test
  void aParamOfTheWrongShapeIsNamedInJsonsWordsNotJacksons() {
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[\"ten\",1],\"id\":1}");
    String message = json(peer.nextText()).get("error").get("message").asText();

    assertThat(message).isEqualTo("Invalid params: param 'minuend' expects a number, got \"ten\"");
  }

  @Test
  void schemasAreDescribedInWords() {
    assertThat(MethodBinding.describe(JsonSchemas.of(String.class))).isEqualTo("a string");
    assertThat(MethodBinding.describe(JsonSchemas.of(int.class))).isEqualTo("a whole number");
    assertThat(MethodBinding.describe(JsonSchemas.of(boolean.class))).isEqualTo("true or false");
    assertThat(MethodBinding.describe(JsonSchemas.of(String[].class)))
        .isEqualTo("an array of strings");
    assertThat(MethodBinding.describe(JsonSchemas.of(JsonNode.class))).isEqualTo("any JSON value");
  }

  @Test
  void applicationErrorsCarryTheHandlersMessage() {
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"fail\",\"params\":[\"disk full\"],\"id\":1}");
    JsonNode got = json(peer.nextText());
    assertThat(got.get("error").get("code").asInt()).isEqualTo(-32000);
    assertThat(got.get("error").get("message").asText()).isEqualTo("disk full");
  }

  @Test
  void reservedRpcMethodsAreNotUserMethods() {
    exchangeError("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.nothing\",\"id\":1}", -32601, "1");
    exchange(
        "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":2}",
        "{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":2}");
  }

  @Test
  void aDuplicateInFlightIdIsAnsweredWithAnErrorAndTheFirstCallStillCompletes() {
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"sleep\",\"params\":[400],\"id\":7}");
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"second\"],\"id\":7}");
    JsonNode duplicate = json(peer.nextText());
    assertThat(duplicate.get("error").get("code").asInt()).isEqualTo(-32004);
    assertThat(duplicate.get("id").asInt()).isEqualTo(7);
    exchange(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"third\"],\"id\":8}",
        "{\"jsonrpc\":\"2.0\",\"result\":\"third\",\"id\":8}");
    assertThat(json(peer.nextText()))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"result\":400,\"id\":7}"));
  }

  @Test
  void rpcDiscoverDescribesTheRegisteredMethodsAsOpenRpc() {
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":1}");
    JsonNode document = json(peer.nextText()).get("result");
    assertThat(document.get("openrpc").asText()).startsWith("1.");
    JsonNode subtract = null;
    for (JsonNode method : document.get("methods")) {
      if (method.get("name").asText().equals("subtract")) {
        subtract = method;
      }
    }
    assertThat(subtract).isNotNull();
    assertThat(subtract.get("params").get(0).get("name").asText()).isEqualTo("minuend");
    assertThat(subtract.get("params").get(0).get("schema").get("type").asText())
        .isEqualTo("number");
    assertThat(subtract.get("params").get(1).get("name").asText()).isEqualTo("subtrahend");
    assertThat(subtract.get("result").get("schema").get("type").asText()).isEqualTo("number");
    assertThat(subtract.get("paramStructure").asText()).isEqualTo("either");
  }

  @Test
  void aMessagePackRequestIsAnsweredInMessagePackWhateverTheCalleesOwnEncoding() {
    peer.sendMsgPack(Map.of("jsonrpc", "2.0", "method", "sum", "params", List.of(1, 2), "id", 1));
    JsonNode answer = peer.nextMsgPack();
    assertThat(answer.get("result").asInt()).isEqualTo(3);
    assertThat(answer.get("id").asInt()).isEqualTo(1);
  }

  @Test
  void aBatchAnswerKeepsItsOtherElementsWhenMessagePackCannotCarryOne() {
    // 156.95 - (-1.1e267) is a decimal of 270 digits: no MessagePack number holds it exactly.
    peer.sendMsgPack(
        List.of(
            Map.of(
                "jsonrpc",
                "2.0",
                "method",
                "subtract",
                "params",
                List.of(156.95, -1.1e267),
                "id",
                1),
            Map.of("jsonrpc", "2.0", "method", "echo", "params", List.of("x"), "id", 2)));
    JsonNode answers = peer.nextMsgPack();
    assertThat(answers.isArray()).as("%s", answers).isTrue();
    assertThat(answers).hasSize(2);
    for (JsonNode answer : answers) {
      if (answer.get("id").asInt() == 1) {
        assertThat(answer.get("error").get("code").asInt()).isEqualTo(ErrorObject.INTERNAL_ERROR);
      } else {
        assertThat(answer.get("result").asText()).isEqualTo("x");
      }
    }
  }
}
