package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Notification;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a security probe sends: valid JSON nested far too deep, and numbers no type can hold. Over
 * HTTP each is a 4xx naming the limit and the offending value; over the WebSocket a JSON-RPC error,
 * the connection kept. Nothing is logged at error level and the server stays healthy (checked after
 * every test).
 */
@Timeout(30)
class PushExtremeJsonTest {

  /**
   * The depth the probe used: within Jackson's default of 1000 for the body, past it once the
   * payload is sent.
   */
  private static final int PROBE_DEPTH = 999;

  private static final String[] ACTIONS = {
    "send", "send-to-users", "broadcast", "channel", "channels", "batch"
  };

  private static PushFixture push;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeAll
  static void start() {
    push = PushFixture.start(PushFixture.production());
  }

  @AfterAll
  static void stop() {
    push.close();
  }

  /**
   * Logback's console appender writes to whatever {@code System.err} is at the time: copy it to see
   * the log.
   */
  @BeforeEach
  void recordTheLog() {
    stderr = System.err;
    System.setErr(new PrintStream(new TeeStream(stderr, logged), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void nothingLoggedAtErrorLevelAndTheServerIsHealthy() {
    System.setErr(stderr);
    String log = logged.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the server log").doesNotContain(" ERROR ").doesNotContain("\tat ");
    assertThat(push.http.get("/health").status()).isEqualTo(200);
    push.notify(
        "send", "{'target_user_id':'nobody','event_type':'still.working','payload':{'n':1}}");
  }

  /** Arrays nested {@code depth} deep: {@code [[...]]}. */
  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** A body for {@code action} whose payload is {@code payload} (JSON text). */
  private static String body(String action, String payload) {
    String item = "'event_type':'probe','payload':" + payload;
    return PushHttp.json(
        switch (action) {
          case "send" -> "{'target_user_id':'alice'," + item + "}";
          case "send-to-users" -> "{'target_user_ids':['alice']," + item + "}";
          case "broadcast" -> "{" + item + "}";
          case "channel" -> "{'channel':'news'," + item + "}";
          case "channels" -> "{'channels':['news']," + item + "}";
          case "batch" ->
              "{'notifications':[{'target':{'type':'user','value':'alice'}," + item + "}]}";
          default -> throw new IllegalArgumentException(action);
        });
  }

  private static PushHttp.Response post(String action, String payload) {
    return push.http.post("/api/v1/notifications/" + action, body(action, payload));
  }

  private static JsonNode error(PushHttp.Response response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    JsonNode error = response.json().get("error");
    assertThat(error.get("code").asText()).as(response.toString()).isEqualTo(code);
    return error;
  }

  // ---- HTTP: nesting

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"send", "send-to-users", "broadcast", "channel", "channels", "batch"})
  void aBodyNestedDeeperThanTheParserAllowsIs400NamingTheLimit(String action) {
    JsonNode error = error(post(action, nested(PROBE_DEPTH)), 400, "BAD_REQUEST");

    assertThat(error.get("message").asText())
        .contains("nesting depth")
        .contains(String.valueOf(Json.MAX_DEPTH));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"send", "send-to-users", "broadcast", "channel", "channels"})
  void aPayloadNestedDeeperThanTheLimitIs422NamingDepthAndLimit(String action) {
    int depth = Notification.MAX_PAYLOAD_DEPTH + 1;

    JsonNode error = error(post(action, nested(depth)), 422, "VALIDATION_ERROR");

    assertThat(error.get("message").asText())
        .contains("payload")
        .contains(String.valueOf(depth))
        .contains(String.valueOf(Notification.MAX_PAYLOAD_DEPTH));
  }

  @Test
  void aBatchItemWithAPayloadNestedDeeperThanTheLimitFailsAloneNamingDepthAndLimit() {
    int depth = Notification.MAX_PAYLOAD_DEPTH + 1;
    String body =
        PushHttp.json(
            "{'notifications':["
                + "{'target':{'type':'user','value':'alice'},'event_type':'deep','payload':"
                + nested(depth)
                + "},"
                + "{'target':{'type':'user','value':'alice'},'event_type':'flat','payload':1}]}");

    JsonNode answer = push.http.ok("/api/v1/notifications/batch", body);

    assertThat(answer.get("successful").asInt()).isEqualTo(1);
    JsonNode failed = answer.get("results").get(0);
    assertThat(failed.get("success").asBoolean()).isFalse();
    assertThat(failed.get("error").asText())
        .contains("payload")
        .contains(String.valueOf(depth))
        .contains(String.valueOf(Notification.MAX_PAYLOAD_DEPTH));
  }

  @Test
  void aPayloadNestedExactlyToTheLimitIsDeliveredAsSent() {
    PushDevice alice = push.device("alice");
    String payload = nested(Notification.MAX_PAYLOAD_DEPTH);

    push.http.ok("/api/v1/notifications/send", body("send", payload).replace("probe", "deepest"));

    assertThat(alice.awaitEvent("deepest").get("payload")).isEqualTo(PushHttp.parse(payload));
    alice.close();
    push.awaitConnections(0);
  }

  // ---- HTTP: numbers

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"1e99999999999", "-1e99999999999", "1e-99999999999", "1e1001", "-2.5e-1001"})
  void aNumberOutOfRangeIs400NamingTheNumberAndTheLimit(String number) {
    for (String action : ACTIONS) {
      JsonNode error = error(post(action, "{'n':" + number + "}"), 400, "BAD_REQUEST");

      assertThat(error.get("message").asText()).as(action).contains(number).contains("1000");
    }
  }

  @ParameterizedTest(name = "ttl {0}")
  @ValueSource(strings = {"1e1000", "-1e1000", "1e-1000", "123456789012345678901234567890"})
  void anExtremeTtlWithinTheNumberLimitIs422NamingIt(String ttl) {
    String json = PushHttp.json("{'event_type':'e','payload':{},'ttl':" + ttl + "}");

    JsonNode error =
        error(push.http.post("/api/v1/notifications/broadcast", json), 422, "VALIDATION_ERROR");

    assertThat(error.get("message").asText()).contains("ttl");
  }

  @Test
  void bigNumbersWithinTheLimitAreDeliveredAsSent() {
    PushDevice alice = push.device("alice");
    String payload =
        "[1e308, 1e400, -9.99e1000, 1e-1000, 4.9e-324, 123456789012345678901234567890, 0e99, 0.1]";

    push.http.ok("/api/v1/notifications/send", body("send", payload).replace("probe", "big"));

    assertThat(alice.awaitEvent("big").get("payload")).isEqualTo(PushHttp.parse(payload));
    alice.close();
    push.awaitConnections(0);
  }

  // ---- WebSocket JSON-RPC

  private static RawWebSocket device(String user) {
    return RawWebSocket.connect(push.ws("token=" + PushTokens.valid(user)));
  }

  /** The answer to a message that cannot be parsed: a Parse error with a null id. */
  private static void assertParseError(String answer) {
    JsonNode error = PushHttp.parse(answer);
    assertThat(error.get("error").get("code").asInt())
        .as(answer)
        .isEqualTo(ErrorObject.PARSE_ERROR);
    assertThat(error.get("error").get("message").asText()).as(answer).isNotBlank();
    assertThat(error.get("id").isNull()).as(answer).isTrue();
  }

  /** The connection still answers: a ping gets its pong. */
  private static void assertStillAnswers(RawWebSocket socket) {
    socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":\"after\"}");
    assertThat(PushHttp.parse(socket.nextText(WAIT)).get("result").asText()).isEqualTo("pong");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"999 deep", "1e99999999999", "1e1001"})
  void aJsonRpcRequestWithExtremeParamsIsAParseErrorAndTheConnectionStaysUsable(String what) {
    String params = what.equals("999 deep") ? nested(PROBE_DEPTH) : "[" + what + "]";
    try (RawWebSocket socket = device("mallory")) {
      socket.sendText(
          "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":" + params + ",\"id\":1}");

      assertParseError(socket.nextText(WAIT));
      assertStillAnswers(socket);
    }
  }

  @Test
  void aMessagePackRequestNestedTooDeepIsAParseErrorAndTheConnectionStaysUsable() {
    ByteBuffer params = ByteBuffer.allocate(PROBE_DEPTH);
    for (int i = 0; i < PROBE_DEPTH - 1; i++) {
      params.put((byte) 0x91); // an array of one element
    }
    params.put((byte) 0x90); // an empty array
    try (RawWebSocket socket = device("mallory")) {
      socket.sendBinary(msgpackRequest(params.array()));

      assertThat(msgpackError(socket.nextBinary(WAIT))).isEqualTo(ErrorObject.PARSE_ERROR);
      assertStillAnswers(socket);
    }
  }

  @Test
  void aMessagePackRequestWithAnInfiniteNumberIsAParseErrorAndTheConnectionStaysUsable() {
    // What a JavaScript MessagePack encoder sends for 1e99999999999: a float64 Infinity, which JSON
    // cannot carry.
    ByteBuffer params =
        ByteBuffer.allocate(10)
            .put((byte) 0x91)
            .put((byte) 0xcb)
            .putDouble(Double.POSITIVE_INFINITY);
    try (RawWebSocket socket = device("mallory")) {
      socket.sendBinary(msgpackRequest(params.array()));

      assertThat(msgpackError(socket.nextBinary(WAIT))).isEqualTo(ErrorObject.PARSE_ERROR);
      assertStillAnswers(socket);
    }
  }

  /**
   * {@code {"jsonrpc": "2.0", "method": "subscribe", "params": <params>, "id": 1}} in MessagePack.
   */
  private static byte[] msgpackRequest(byte[] params) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x84); // a map of four members
    for (String text : new String[] {"jsonrpc", "2.0", "method", "subscribe", "params"}) {
      out.write(0xa0 | text.length()); // a short string
      out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(params);
    out.write(0xa2);
    out.writeBytes("id".getBytes(StandardCharsets.US_ASCII));
    out.write(0x01);
    return out.toByteArray();
  }

  private static int msgpackError(byte[] answer) {
    try {
      return new org.msgpack.jackson.dataformat.MessagePackMapper()
          .readTree(answer)
          .get("error")
          .get("code")
          .asInt();
    } catch (java.io.IOException e) {
      throw new AssertionError("not MessagePack", e);
    }
  }

  /** Writes to two streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}
