package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testing.SilentWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate over real sockets, with devices that read frames off the wire: what goes out
 * compressed, that every compressed message inflates alone (the server keeps no context), and that
 * a fan-out deflates a notification once whatever the number of devices that compress.
 */
class PerMessageDeflateTest {

  /** What ws and browsers offer. */
  private static final List<String> OFFER =
      List.of("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<SilentWebSocket> peers = new ArrayList<>();
  private PushFixture push;

  private void start(int minBytes) {
    push =
        PushFixture.start(
            PushFixture.development().webSocketCompression(WebSocketCompression.on(minBytes)));
  }

  @AfterEach
  void stop() throws IOException {
    for (SilentWebSocket peer : peers) {
      peer.close();
    }
    push.close();
  }

  @Test
  void theAnswerAsksBothSidesToKeepNoContext() {
    start(1024);
    SilentWebSocket peer = connect(OFFER);

    assertThat(peer.responseHeaders())
        .filteredOn(h -> h.toLowerCase().startsWith("sec-websocket-extensions"))
        .singleElement()
        .satisfies(
            h ->
                assertThat(h)
                    .contains("permessage-deflate")
                    .contains("server_no_context_takeover")
                    .contains("client_no_context_takeover"));
  }

  @Test
  void aLargeNotificationArrivesCompressedAsTheExactBytesAPlainDeviceGets()
      throws IOException, DataFormatException {
    start(1024);
    SilentWebSocket compressing = connect(OFFER);
    SilentWebSocket plain = connect(List.of());
    String payload = new String(SharedDeflateEncoderTest.json(4096), StandardCharsets.UTF_8);

    broadcast("order.updated", payload);

    SilentWebSocket.WireFrame deflated = compressing.readFrame(WAIT);
    SilentWebSocket.WireFrame asIs = plain.readFrame(WAIT);
    assertThat(deflated.compressed()).isTrue();
    assertThat(asIs.compressed()).isFalse();
    assertThat(SharedDeflateEncoderTest.inflate(deflated.payload())).isEqualTo(asIs.payload());
    assertThat(deflated.payload().length).isLessThan(asIs.payload().length / 2);
    JsonNode params = JSON.readTree(asIs.payload()).path("params");
    assertThat(params.path("payload")).isEqualTo(JSON.readTree(payload));
  }

  @Test
  void aNotificationUnderTheMinimumGoesOutUncompressed() throws IOException {
    start(1024);
    SilentWebSocket compressing = connect(OFFER);

    broadcast("small", "{\"n\":1}");

    SilentWebSocket.WireFrame frame = compressing.readFrame(WAIT);
    assertThat(frame.compressed()).isFalse();
    assertThat(frame.payload().length).isLessThan(1024);
    assertThat(JSON.readTree(frame.payload()).path("params").path("payload").path("n").asInt())
        .isEqualTo(1);
  }

  @Test
  void aFanOutToManyDevicesDeflatesOnceAndEveryKindOfDeviceGetsTheSameMessage()
      throws IOException, DataFormatException {
    start(1024);
    List<SilentWebSocket> compressing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      compressing.add(connect(OFFER));
    }
    SilentWebSocket plain = connect(List.of());
    PushDevice client = push.anonymousDevice(); // the JDK's client, which never offers compression
    String payload = new String(SharedDeflateEncoderTest.json(4096), StandardCharsets.UTF_8);
    long before = MessageDeflater.deflatedCount();

    broadcast("order.updated", payload);

    byte[] message = plain.readFrame(WAIT).payload();
    for (SilentWebSocket peer : compressing) {
      SilentWebSocket.WireFrame frame = peer.readFrame(WAIT);
      assertThat(frame.compressed()).isTrue();
      assertThat(SharedDeflateEncoderTest.inflate(frame.payload())).isEqualTo(message);
    }
    assertThat(client.awaitEvent("order.updated").path("payload"))
        .isEqualTo(JSON.readTree(payload));
    assertThat(MessageDeflater.deflatedCount() - before)
        .as("messages deflated for 20 devices that compress")
        .isEqualTo(1);
  }

  @Test
  void answersAndNotificationsInterleavedOnOneConnectionEachInflateAlone()
      throws IOException, DataFormatException {
    start(0); // every message compressed, the small ones too
    SilentWebSocket peer = connect(OFFER);
    int rounds = 20;
    Map<Integer, String> echoed = new HashMap<>();

    for (int i = 0; i < rounds; i++) {
      String text = "answer " + i + " " + "abc".repeat(100 + i);
      echoed.put(100 + i, text);
      ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 100 + i);
      request.put("method", "echo").putArray("params").add(text);
      peer.sendText(JSON.writeValueAsString(request));
      broadcast("round", "{\"i\":" + i + ",\"text\":\"" + "abc".repeat(100) + "\"}");
    }

    int answers = 0;
    int nextNotification = 0;
    while (answers < rounds || nextNotification < rounds) {
      SilentWebSocket.WireFrame frame = peer.readFrame(WAIT);
      assertThat(frame.compressed()).isTrue();
      JsonNode message = JSON.readTree(SharedDeflateEncoderTest.inflate(frame.payload()));
      if (message.has("id")) {
        assertThat(message.path("result").asText())
            .isEqualTo(echoed.get(message.path("id").asInt()));
        answers++;
      } else {
        assertThat(message.path("params").path("payload").path("i").asInt())
            .as("notifications in order")
            .isEqualTo(nextNotification++);
      }
    }
  }

  /**
   * A device reading raw frames, registered by the server once a ping has been answered (the 101
   * may arrive before the server has registered the connection).
   */
  private SilentWebSocket connect(List<String> headers) {
    SilentWebSocket peer = SilentWebSocket.connect(push.ws(""), headers);
    peers.add(peer);
    try {
      peer.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
      SilentWebSocket.WireFrame pong = peer.readFrame(WAIT);
      byte[] text =
          pong.compressed() ? SharedDeflateEncoderTest.inflate(pong.payload()) : pong.payload();
      assertThat(new String(text, StandardCharsets.UTF_8)).contains("\"id\":1");
    } catch (IOException | DataFormatException e) {
      throw new AssertionError(e);
    }
    return peer;
  }

  private void broadcast(String eventType, String payloadJson) {
    push.http.ok(
        "/api/v1/notifications/broadcast",
        "{\"event_type\":\"" + eventType + "\",\"payload\":" + payloadJson + "}");
  }
}
