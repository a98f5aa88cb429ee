package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.RawWebSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import net.jqwik.api.statistics.Statistics;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * Random and damaged input over a real WebSocket. Whatever arrives, the server answers it once with
 * well-formed JSON-RPC 2.0 (or not at all, for notifications and responses), in the frame type it
 * came in, and the connection stays usable: an {@code echo} sent right after gets its answer.
 *
 * <p>What deserves an answer is worked out here from the specification, with plain Jackson, not
 * with the codec under test.
 */
class WireFuzzTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Reads text as the server does: exactly one JSON value. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final ObjectMapper MSGPACK = new MessagePackMapper();

  /** No generated input contains this character, so a probe's id is never a fuzz input's id. */
  private static final String PROBE = "\u2603probe-";

  private static final AtomicLong probes = new AtomicLong();

  private static SwitchboardServer server;
  private static RawWebSocket socket;

  @BeforeContainer
  static void startServer() {
    server = SwitchboardServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build());
    socket = RawWebSocket.connect(server.webSocketUri());
  }

  @AfterContainer
  static void stopServer() {
    if (socket != null) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A try that broke the connection has failed; the next one starts on a fresh connection. */
  @BeforeTry
  void reconnectIfClosed() {
    if (socket.closed().isDone()) {
      socket.close();
      socket = RawWebSocket.connect(server.webSocketUri());
    }
  }

  @AfterProperty
  void nothingLeftUnread() {
    assertThat(socket.nothingWithin(QUIET)).as("no message after the last answer").isTrue();
  }

  // ---- the properties

  @Property(tries = 200)
  void anyBytesInABinaryFrameAreAnsweredSoundly(@ForAll("anyBytes") byte[] bytes) {
    assertAnsweredSoundlyThenUsable(Kind.BINARY, bytes);
  }

  @Property(tries = 200)
  void anyDamagedMessagePackMessageIsAnsweredSoundly(@ForAll("damagedMessagePack") byte[] bytes) {
    assertAnsweredSoundlyThenUsable(Kind.BINARY, bytes);
  }

  @Property(tries = 200)
  void anyDamagedJsonMessageInATextFrameIsAnsweredSoundly(@ForAll("damagedJson") String text) {
    assertAnsweredSoundlyThenUsable(Kind.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * MessagePack, unlike JSON, has no nesting limit in the parser; a deep value must not cost the
   * answer.
   */
  @Example
  void deeplyNestedMessagePackParamsStillGetExactlyOneAnswer() throws IOException {
    int depth = 100_000;
    byte[] head =
        MSGPACK.writeValueAsBytes(
            NODES
                .objectNode()
                .put("jsonrpc", "2.0")
                .put("method", "echo")
                .put("id", 1)
                .set("params", NODES.arrayNode()));
    // Replace the empty params array (0x90, the last byte) with [[[...[nil]...]]].
    byte[] bytes = new byte[head.length - 1 + depth + 1 + 1];
    System.arraycopy(head, 0, bytes, 0, head.length - 1);
    for (int i = head.length - 1; i < head.length + depth; i++) {
      bytes[i] = (byte) 0x91;
    }
    bytes[bytes.length - 1] = (byte) 0xC0;

    // Echoed, or refused as a parse error like JSON nested this deep: either way one answer, and
    // the line lives.
    Expected oneAnswer =
        new Expected(
            "echo of a MessagePack value nested " + depth + " deep",
            1,
            false,
            1,
            0,
            List.of(),
            List.of(idKey(NODES.nullNode()), idKey(NODES.numberNode(1))));
    assertAnsweredSoundlyThenUsable(Kind.BINARY, bytes, oneAnswer);
  }

  // ---- one exchange

  enum Kind {
    TEXT,
    BINARY
  }

  private static void assertAnsweredSoundlyThenUsable(Kind kind, byte[] input) {
    Expected expected = Expected.of(kind, input);
    Statistics.collect(expected.outcome());
    assertAnsweredSoundlyThenUsable(kind, input, expected);
  }

  private static void assertAnsweredSoundlyThenUsable(Kind kind, byte[] input, Expected expected) {
    long n = probes.incrementAndGet();
    String probeId = PROBE + n;
    ArrayNode marker = NODES.arrayNode().add(probeId);
    ObjectNode probe = NODES.objectNode().put("jsonrpc", "2.0").put("method", "echo");
    probe.putArray("params").add(marker);
    probe.put("id", probeId);

    send(kind, input);
    send(kind, write(kind, probe));

    int answers = 0;
    boolean probeAnswered = false;
    while (!probeAnswered || answers < expected.frames()) {
      RawWebSocket.Frame frame = next(expected, answers, probeAnswered);
      JsonNode reply = read(frame);
      if (reply.has("method")) {
        answerServerCall(frame, reply);
        continue;
      }
      if (probeId.equals(reply.path("id").textValue())) {
        assertThat(frame)
            .as("answer to the probe after %s", expected)
            .isInstanceOf(frameType(kind));
        assertThat(reply.get("result")).as("echo after %s", expected).isEqualTo(marker);
        probeAnswered = true;
        continue;
      }
      answers++;
      assertThat(answers)
          .as("answers to %s: %s", expected, shown(reply))
          .isLessThanOrEqualTo(expected.frames());
      assertThat(frame)
          .as("frame type of the answer to %s", expected)
          .isInstanceOf(frameType(kind));
      expected.assertMatches(reply);
    }
    assertThat(socket.closed()).as("connection after %s", expected).isNotDone();
  }

  private static RawWebSocket.Frame next(Expected expected, int answers, boolean probeAnswered) {
    try {
      return socket.next(WAIT);
    } catch (AssertionError timeout) {
      throw new AssertionError(
          "waited "
              + WAIT.toMillis()
              + " ms: "
              + answers
              + " of "
              + expected.frames()
              + " answers to "
              + expected
              + (probeAnswered ? "" : ", and the echo sent after it is unanswered")
              + (socket.closed().isDone()
                  ? "; the connection closed: " + socket.closed().join()
                  : ""),
          timeout);
    }
  }

  /** The server pings idle connections; a ping is answered and is no answer to the input. */
  private static void answerServerCall(RawWebSocket.Frame frame, JsonNode call) {
    assertThat(call.path("method").textValue())
        .as("the server's call %s", shown(call))
        .isEqualTo("rpc.ping");
    ObjectNode pong = NODES.objectNode().put("jsonrpc", "2.0").put("result", "pong");
    pong.set("id", call.get("id"));
    Kind kind = frame instanceof RawWebSocket.Binary ? Kind.BINARY : Kind.TEXT;
    send(kind, write(kind, pong));
  }

  private static Class<? extends RawWebSocket.Frame> frameType(Kind kind) {
    return kind == Kind.TEXT ? RawWebSocket.Text.class : RawWebSocket.Binary.class;
  }

  private static void send(Kind kind, byte[] bytes) {
    switch (kind) {
      case TEXT -> socket.sendText(new String(bytes, StandardCharsets.UTF_8));
      case BINARY -> socket.sendBinary(bytes);
    }
  }

  private static byte[] write(Kind kind, JsonNode tree) {
    try {
      return (kind == Kind.TEXT ? JSON : MSGPACK).writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(RawWebSocket.Frame frame) {
    try {
      return switch (frame) {
        case RawWebSocket.Text text -> JSON.readTree(text.text());
        case RawWebSocket.Binary binary -> MSGPACK.readTree(binary.bytes());
      };
    } catch (IOException e) {
      throw new AssertionError("the server sent a message that does not parse: " + frame, e);
    }
  }

  // ---- what the specification says the answer must be

  /**
   * What one input deserves: how many messages (0 or 1), whether that is a batch answer of how many
   * elements, which ids must and may appear, and, for input that is no request at all, which error.
   */
  private record Expected(
      String input,
      int frames,
      boolean batch,
      int elements,
      int errorCode,
      List<String> requiredIds,
      List<String> allowedIds) {

    static Expected of(Kind kind, byte[] input) {
      String shown =
          kind == Kind.TEXT
              ? "text " + new String(input, StandardCharsets.UTF_8)
              : "binary "
                  + HexFormat.of().formatHex(input, 0, Math.min(input.length, 200))
                  + (input.length > 200 ? "... (" + input.length + " bytes)" : "");
      Optional<JsonNode> parsed = kind == Kind.TEXT ? parseJson(input) : parseMessagePack(input);
      if (parsed.isEmpty()) {
        return new Expected(
            shown, 1, false, 1, -32700, List.of(), List.of(idKey(NODES.nullNode())));
      }
      JsonNode tree = parsed.get();
      if (tree.isArray() && (tree.isEmpty() || tree.size() > 1000)) {
        return new Expected(
            shown, 1, false, 1, -32600, List.of(), List.of(idKey(NODES.nullNode())));
      }
      List<JsonNode> elements = new ArrayList<>();
      if (tree.isArray()) {
        tree.forEach(elements::add);
      } else {
        elements.add(tree);
      }
      List<String> required = new ArrayList<>();
      List<String> allowed = new ArrayList<>(List.of(idKey(NODES.nullNode())));
      int answered = 0;
      for (JsonNode element : elements) {
        if (!deservesAnAnswer(element)) {
          continue;
        }
        answered++;
        if (element.has("id")) {
          allowed.add(idKey(element.get("id")));
        }
        if (isValidRequest(element)) {
          required.add(idKey(element.get("id")));
        }
      }
      int code = !tree.isArray() && !tree.isObject() ? -32600 : 0;
      return new Expected(
          shown, answered > 0 ? 1 : 0, tree.isArray(), answered, code, required, allowed);
    }

    /** Everything but a notification and a response (well-formed or not) gets an answer. */
    private static boolean deservesAnAnswer(JsonNode element) {
      if (!element.isObject()) {
        return true;
      }
      if (element.has("method")) {
        boolean wellFormedNotification =
            !element.has("id")
                && "2.0".equals(element.path("jsonrpc").textValue())
                && element.get("method").isTextual()
                && (!element.has("params")
                    || element.get("params").isArray()
                    || element.get("params").isObject());
        return !wellFormedNotification;
      }
      return !element.has("result") && !element.has("error");
    }

    /** A request the server must answer under its own id. */
    private static boolean isValidRequest(JsonNode element) {
      JsonNode id = element.get("id");
      JsonNode timeout = element.get("timeout_ms");
      return element.isObject()
          && "2.0".equals(element.path("jsonrpc").textValue())
          && element.path("method").isTextual()
          && (!element.has("params")
              || element.get("params").isArray()
              || element.get("params").isObject())
          && id != null
          && (id.isNull() || id.isTextual() || (id.isIntegralNumber() && id.canConvertToLong()))
          && (timeout == null
              || (timeout.isIntegralNumber()
                  && timeout.canConvertToLong()
                  && timeout.longValue() >= 0));
    }

    void assertMatches(JsonNode reply) {
      List<JsonNode> responses = new ArrayList<>();
      if (batch) {
        assertThat(reply.isArray()).as("answer to the batch %s: %s", input, shown(reply)).isTrue();
        assertThat(reply.size()).as("responses to %s: %s", input, shown(reply)).isEqualTo(elements);
        reply.forEach(responses::add);
      } else {
        assertThat(reply.isObject()).as("answer to %s: %s", input, shown(reply)).isTrue();
        responses.add(reply);
      }
      List<String> ids = new ArrayList<>();
      for (JsonNode response : responses) {
        assertWellFormedResponse(response);
        if (errorCode != 0) {
          assertThat(response.path("error").path("code").asInt())
              .as("error code of %s for %s", shown(response), input)
              .isEqualTo(errorCode);
        }
        ids.add(idKey(response.get("id")));
      }
      assertThat(allowedIds)
          .as("ids the answer to %s may carry, besides null", input)
          .containsAll(ids);
      List<String> unmatched = new ArrayList<>(ids);
      for (String id : requiredIds) {
        assertThat(unmatched)
            .as("a response with id %s to %s: %s", id, input, shown(reply))
            .contains(id);
        unmatched.remove(id);
      }
    }

    private void assertWellFormedResponse(JsonNode response) {
      String what = "response " + shown(response) + " to " + input;
      assertThat(response.isObject()).as(what).isTrue();
      assertThat(response.path("jsonrpc").textValue()).as("jsonrpc of " + what).isEqualTo("2.0");
      assertThat(response.has("result") != response.has("error"))
          .as("exactly one of result and error: " + what)
          .isTrue();
      if (response.has("error")) {
        JsonNode error = response.get("error");
        assertThat(error.isObject()).as("error object of " + what).isTrue();
        assertThat(error.path("code").isIntegralNumber() && error.path("code").canConvertToInt())
            .as("integer error code of " + what)
            .isTrue();
        assertThat(error.path("message").isTextual())
            .as("string error message of " + what)
            .isTrue();
      }
      assertThat(response.has("id")).as("id member of " + what).isTrue();
      JsonNode id = response.get("id");
      assertThat(id.isNull() || id.isTextual() || id.isIntegralNumber())
          .as("id of " + what)
          .isTrue();
    }

    /** The kind of answer, for the statistics of a property. */
    String outcome() {
      if (frames == 0) {
        return "no answer";
      }
      if (errorCode == -32700) {
        return "parse error";
      }
      if (batch) {
        return "batch answer";
      }
      return requiredIds.isEmpty() ? "error answer" : "answer to a valid request";
    }

    @Override
    public String toString() {
      return input;
    }
  }

  /** A reply for a failure message: cut short, and safe for trees too deep to print. */
  private static String shown(JsonNode node) {
    String text;
    try {
      text = node.toString();
    } catch (RuntimeException | StackOverflowError e) {
      text = node.getNodeType() + " too deep to print";
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  /**
   * Ids compare by value: the integer 7 is the same id whether stored as a byte, an int or a long.
   */
  private static String idKey(JsonNode id) {
    if (id.isNull()) {
      return "null";
    }
    if (id.isIntegralNumber()) {
      return "integer " + id.bigIntegerValue();
    }
    if (id.isTextual()) {
      return "string " + id.textValue();
    }
    return id.getNodeType() + " " + id;
  }

  private static Optional<JsonNode> parseJson(byte[] bytes) {
    try {
      JsonNode tree = JSON.readTree(bytes);
      Json.mapper()
          .readTree(bytes); // the server's documented read limits: nesting depth, a number's range
      return tree == null || tree.isMissingNode() ? Optional.empty() : Optional.of(tree);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** One MessagePack value and nothing after it, as a tree. */
  private static Optional<JsonNode> parseMessagePack(byte[] bytes) {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      JsonNode tree = MSGPACK.readTree(bytes);
      if (tree == null || tree.isMissingNode()) {
        return Optional.empty();
      }
      unpacker.skipValue();
      // The server's documented read limits: nesting depth, and JSON's numbers (no Infinity or
      // NaN).
      if (unpacker.hasNext() || depth(tree) > Json.MAX_DEPTH || hasNonFinite(tree)) {
        return Optional.empty();
      }
      return Optional.of(tree);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static int depth(JsonNode node) {
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return node.isContainerNode() ? deepest + 1 : 0;
  }

  private static boolean hasNonFinite(JsonNode node) {
    if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      return true;
    }
    for (JsonNode child : node) {
      if (hasNonFinite(child)) {
        return true;
      }
    }
    return false;
  }

  // ---- generated input

  @Provide
  Arbitrary<byte[]> anyBytes() {
    byte[] headers = {
      (byte) 0x80,
      (byte) 0x81,
      (byte) 0x84,
      (byte) 0x90,
      (byte) 0x91,
      (byte) 0x93,
      (byte) 0xA0,
      (byte) 0xA2,
      (byte) 0xA6,
      (byte) 0xA7,
      (byte) 0xC0,
      (byte) 0xC1,
      (byte) 0xC2,
      (byte) 0xC3,
      (byte) 0xC4,
      (byte) 0xCB,
      (byte) 0xCC,
      (byte) 0xCF,
      (byte) 0xD3,
      (byte) 0xD4,
      (byte) 0xD9,
      (byte) 0xDC,
      (byte) 0xDE,
      (byte) 0xFF,
      0x00,
      0x01,
      0x7F
    };
    List<Byte> headerList = new ArrayList<>();
    for (byte b : headers) {
      headerList.add(b);
    }
    Arbitrary<byte[]> structured =
        Arbitraries.frequencyOf(
                List.of(Tuple.of(3, Arbitraries.of(headerList)), Tuple.of(2, Arbitraries.bytes())))
            .list()
            .ofMaxSize(48)
            .map(WireFuzzTest::toArray);
    return Arbitraries.oneOf(
        List.of(Arbitraries.bytes().array(byte[].class).ofMaxSize(64), structured));
  }

  @Provide
  Arbitrary<byte[]> damagedMessagePack() {
    return Combinators.combine(
            validMessages(),
            Arbitraries.of(Damage.values()),
            Arbitraries.integers().greaterOrEqual(0),
            Arbitraries.integers().greaterOrEqual(0),
            Arbitraries.bytes(),
            replacements())
        .as(
            (tree, damage, at, pick, b, value) ->
                damageBytes(
                    write(
                        Kind.BINARY,
                        damage.structural() ? damageTree(tree, damage, at, pick, value) : tree),
                    damage,
                    at,
                    b));
  }

  @Provide
  Arbitrary<String> damagedJson() {
    return Combinators.combine(
            validMessages(),
            Arbitraries.of(Damage.values()),
            Arbitraries.integers().greaterOrEqual(0),
            Arbitraries.integers().greaterOrEqual(0),
            insertions(),
            replacements())
        .as(
            (tree, damage, at, pick, insertion, value) ->
                damage.structural()
                    ? new String(
                        write(Kind.TEXT, damageTree(tree, damage, at, pick, value)),
                        StandardCharsets.UTF_8)
                    : damageText(
                        new String(write(Kind.TEXT, tree), StandardCharsets.UTF_8),
                        damage,
                        at,
                        insertion));
  }

  /** One way of damaging a valid message. */
  enum Damage {
    DELETE,
    INSERT,
    REPLACE,
    DROP_MEMBER,
    RETYPE_MEMBER;

    boolean structural() {
      return this == DROP_MEMBER || this == RETYPE_MEMBER;
    }
  }

  /** Requests (to methods that answer at once), notifications, responses, and batches of them. */
  private static Arbitrary<JsonNode> validMessages() {
    Arbitrary<JsonNode> single =
        Arbitraries.frequencyOf(
            List.of(Tuple.of(4, request()), Tuple.of(2, notification()), Tuple.of(1, response())));
    Arbitrary<JsonNode> batch =
        single
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(
                list -> {
                  ArrayNode array = NODES.arrayNode();
                  list.forEach(array::add);
                  return array;
                });
    return Arbitraries.frequencyOf(List.of(Tuple.of(4, single), Tuple.of(1, batch)));
  }

  private static Arbitrary<JsonNode> request() {
    Arbitrary<Optional<Long>> timeouts = Arbitraries.longs().between(0, 60_000).optional(0.2);
    return Combinators.combine(methods(), params(), id(), timeouts)
        .as(
            (method, params, id, timeout) -> {
              ObjectNode request = NODES.objectNode().put("jsonrpc", "2.0").put("method", method);
              params.ifPresent(p -> request.set("params", p));
              timeout.ifPresent(ms -> request.put("timeout_ms", ms));
              request.set("id", id);
              return request;
            });
  }

  private static Arbitrary<JsonNode> notification() {
    return Combinators.combine(methods(), params())
        .as(
            (method, params) -> {
              ObjectNode notification =
                  NODES.objectNode().put("jsonrpc", "2.0").put("method", method);
              params.ifPresent(p -> notification.set("params", p));
              return notification;
            });
  }

  private static Arbitrary<JsonNode> response() {
    Arbitrary<JsonNode> success =
        Combinators.combine(id(), scalar())
            .as(
                (id, result) -> {
                  ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
                  response.set("result", result);
                  response.set("id", id);
                  return response;
                });
    Arbitrary<JsonNode> failure =
        Combinators.combine(id(), Arbitraries.integers(), text())
            .as(
                (id, code, message) -> {
                  ObjectNode response = NODES.objectNode().put("jsonrpc", "2.0");
                  response.putObject("error").put("code", code).put("message", message);
                  response.set("id", id);
                  return response;
                });
    return Arbitraries.oneOf(List.of(success, failure));
  }

  /** The demo methods that answer at once, plus ones that do not exist. */
  private static Arbitrary<String> methods() {
    return Arbitraries.of(
        "echo",
        "sum",
        "subtract",
        "get_data",
        "fail",
        "update",
        "notify_hello",
        "notify_sum",
        "rpc.ping",
        "rpc.discover",
        "rpc.cancel",
        "foobar",
        "");
  }

  private static Arbitrary<Optional<JsonNode>> params() {
    Arbitrary<JsonNode> byPosition =
        scalar()
            .list()
            .ofMaxSize(3)
            .map(
                values -> {
                  ArrayNode array = NODES.arrayNode();
                  values.forEach(array::add);
                  return array;
                });
    Arbitrary<String> names =
        Arbitraries.of("value", "minuend", "subtrahend", "message", "id", "numbers", "x");
    Arbitrary<JsonNode> byName =
        Arbitraries.maps(names, scalar())
            .ofMaxSize(3)
            .map(
                members -> {
                  ObjectNode object = NODES.objectNode();
                  members.forEach(object::set);
                  return object;
                });
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(1, Arbitraries.just(Optional.<JsonNode>empty())),
            Tuple.of(3, byPosition.map(Optional::of)),
            Tuple.of(2, byName.map(Optional::of))));
  }

  private static Arbitrary<JsonNode> id() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, Arbitraries.longs().map(NODES::numberNode)),
            Tuple.of(3, text().map(NODES::textNode)),
            Tuple.of(1, Arbitraries.just(NODES.nullNode()))));
  }

  private static Arbitrary<JsonNode> scalar() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(1, Arbitraries.just(NODES.nullNode())),
            Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
            Tuple.of(3, Arbitraries.integers().map(NODES::numberNode)),
            Tuple.of(1, Arbitraries.doubles().between(-1e6, 1e6).map(NODES::numberNode)),
            Tuple.of(2, text().map(NODES::textNode))));
  }

  /** Whole Unicode scalar values only, and never the probe's snowman. */
  private static Arbitrary<String> text() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withCharRange('\u00a0', '\u024f')
        .withChars("\u0000\n\"\\\u00e9\u4e2d")
        .ofMaxLength(8);
  }

  private static Arbitrary<String> insertions() {
    return Arbitraries.of(
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\",
        " ",
        "0",
        "1",
        "-",
        ".",
        "e",
        "E",
        "t",
        "n",
        "x",
        "\u00e9",
        "\ud83d\ude00",
        "\u0000");
  }

  private static Arbitrary<JsonNode> replacements() {
    return Arbitraries.of(
        List.<JsonNode>of(
            NODES.textNode("x"),
            NODES.numberNode(1),
            NODES.numberNode(-2.5),
            NODES.booleanNode(false),
            NODES.nullNode(),
            NODES.arrayNode(),
            NODES.objectNode(),
            NODES.arrayNode().add(1),
            NODES.objectNode().put("code", 1).put("message", "m")));
  }

  /** Deletes, inserts or replaces one code point, so that the text stays valid for a text frame. */
  private static String damageText(String text, Damage damage, int at, String insertion) {
    int[] points = text.codePoints().toArray();
    int i = at % (points.length + (damage == Damage.INSERT ? 1 : 0));
    StringBuilder out = new StringBuilder();
    for (int k = 0; k <= points.length; k++) {
      if (k == i && damage != Damage.DELETE) {
        out.append(insertion);
      }
      if (k < points.length && !(k == i && damage != Damage.INSERT)) {
        out.appendCodePoint(points[k]);
      }
    }
    return out.toString();
  }

  private static byte[] damageBytes(byte[] valid, Damage damage, int at, byte b) {
    if (damage.structural()) {
      return valid;
    }
    List<Byte> bytes = new ArrayList<>();
    for (byte v : valid) {
      bytes.add(v);
    }
    int i = at % (bytes.size() + (damage == Damage.INSERT ? 1 : 0));
    switch (damage) {
      case DELETE -> bytes.remove(i);
      case INSERT -> bytes.add(i, b);
      default -> bytes.set(i, bytes.get(i) == b ? (byte) ~b : b);
    }
    return toArray(bytes);
  }

  /** Drops a member of one of the objects in the message, or gives it a value of another type. */
  private static JsonNode damageTree(
      JsonNode valid, Damage damage, int at, int pick, JsonNode value) {
    JsonNode tree = valid.deepCopy();
    List<ObjectNode> objects = new ArrayList<>();
    collectObjects(tree, objects);
    List<ObjectNode> withMembers = objects.stream().filter(o -> !o.isEmpty()).toList();
    ObjectNode target = withMembers.get(at % withMembers.size());
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    String name = names.get(pick % names.size());
    if (damage == Damage.DROP_MEMBER) {
      target.remove(name);
    } else {
      JsonNode current = target.get(name);
      JsonNode other = current.isTextual() ? NODES.numberNode(0) : NODES.textNode("retyped");
      target.set(name, value.getNodeType() == current.getNodeType() ? other : value);
    }
    return tree;
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode object) {
      into.add(object);
    }
    node.forEach(child -> collectObjects(child, into));
  }

  private static byte[] toArray(List<Byte> list) {
    byte[] bytes = new byte[list.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = list.get(i);
    }
    return bytes;
  }
}
