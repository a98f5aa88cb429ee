package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A device of the Ara notification service as a test sees it: a real WebSocket to {@code /ws}
 * speaking Ara's protocol, messages written by hand as Ara's devices write them, and every message
 * the server sends recorded in arrival order ({@link PushDevice} underneath).
 */
final class AraDevice implements AutoCloseable {

  private final PushDevice device;

  /** The messages {@link #next} has returned, by identity. */
  private final Set<JsonNode> taken = Collections.newSetFromMap(new IdentityHashMap<>());

  private AraDevice(PushDevice device) {
    this.device = device;
  }

  /** Connects to {@code uri} offering {@code subprotocols}, then waits for a {@code pong}. */
  static AraDevice connect(String name, URI uri, List<String> subprotocols) {
    AraDevice ara = new AraDevice(PushDevice.connect(name, uri, Map.of(), subprotocols));
    ara.send("{'type':'Ping'}");
    ara.next("pong");
    return ara;
  }

  /** Sends {@code singleQuotedJson} (JSON with single quotes) as one text message. */
  void send(String singleQuotedJson) {
    device.sendText(PushHttp.json(singleQuotedJson));
  }

  /** Sends {@code text} exactly. */
  void sendText(String text) {
    device.sendText(text);
  }

  void sendBinary(byte[] bytes) {
    device.sendBinary(bytes);
  }

  /**
   * The first message of {@code type} this method has not returned yet; fails after {@link
   * PushFixture#WAIT}.
   */
  synchronized JsonNode next(String type) {
    JsonNode message =
        device.await(m -> m.path("type").asText().equals(type) && !taken.contains(m), type);
    taken.add(message);
    return message;
  }

  /** The notification whose {@code event_type} is {@code eventType}. */
  JsonNode notification(String eventType) {
    return device.await(
        m ->
            m.path("type").asText().equals("notification")
                && m.path("event_type").asText().equals(eventType),
        "a notification " + eventType);
  }

  /** Every message received so far, in order. */
  List<JsonNode> messages() {
    return device.messages();
  }

  /** The event types of the notifications received so far, in order. */
  List<String> events() {
    return messages().stream()
        .filter(m -> m.path("type").asText().equals("notification"))
        .map(m -> m.path("event_type").asText())
        .toList();
  }

  String subprotocol() {
    return device.subprotocol();
  }

  PushDevice.Closed awaitClosed(Duration timeout) {
    return device.awaitClosed(timeout);
  }

  boolean isOpen() {
    return device.isOpen();
  }

  @Override
  public void close() {
    device.close();
  }
}
