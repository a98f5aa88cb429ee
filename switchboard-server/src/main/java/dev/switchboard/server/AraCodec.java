package dev.switchboard.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Notification;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The device protocol of the Ara notification service, on its own: what an Ara device sends,
 * decoded into {@link Request}s, and what it is sent, rendered as bytes. Pure: no sockets, no
 * sessions. Thread-safe.
 *
 * <p>A device sends {@code {"type": "Subscribe"|"Unsubscribe", "payload": {"channels": [...]}}},
 * {@code {"type": "Ping"}} or {@code {"type": "Ack", "payload": {"notification_id": "<uuid>"}}}. It
 * receives flat objects: {@code {"type": "notification", "id", "occurred_at", "event_type",
 * "payload", "metadata"}} (a channel's also {@code channel}, {@code offset}, {@code epoch}), {@code
 * {"type": "subscribed"|"unsubscribed", "payload": [channels]}}, {@code {"type": "pong"}}, {@code
 * {"type": "heartbeat"}}, {@code {"type": "acked", "notification_id"}}, {@code {"type": "error",
 * "code", "message"}} and {@code {"type": "shutdown", "reason", "reconnect_after_seconds"}}.
 */
final class AraCodec {

  /** The message is not JSON, not an object, of no known type, or its payload is wrong. */
  static final String INVALID_MESSAGE = "INVALID_MESSAGE";

  /** A binary message: Ara devices speak JSON text only. */
  static final String UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT";

  /** A {@code Subscribe} or {@code Unsubscribe} refused: a bad channel name, too many channels. */
  static final String SUBSCRIPTION_ERROR = "SUBSCRIPTION_ERROR";

  /** An {@code Ack} of a notification that does not wait for one from this user. */
  static final String INVALID_ACK = "INVALID_ACK";

  /** The device sends faster than {@code websocket.messages_per_second}. */
  static final String RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED";

  /** The server sheds load (its handler limit is reached) or is shutting down. */
  static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";

  /** Anything else that went wrong on the server's side. */
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  /** How much of an offending value an error message quotes. */
  private static final int QUOTED_CHARS = 100;

  private static final byte[] NOTIFICATION_START =
      "{\"type\":\"notification\",".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] PONG = "{\"type\":\"pong\"}".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] HEARTBEAT =
      "{\"type\":\"heartbeat\"}".getBytes(StandardCharsets.US_ASCII);

  private AraCodec() {}

  /** What an Ara device may ask. */
  sealed interface Request {}

  record Subscribe(List<String> channels) implements Request {
    Subscribe {
      channels = List.copyOf(channels);
    }
  }

  record Unsubscribe(List<String> channels) implements Request {
    Unsubscribe {
      channels = List.copyOf(channels);
    }
  }

  record Ping() implements Request {}

  record Ack(UUID notificationId) implements Request {
    Ack {
      Objects.requireNonNull(notificationId, "notificationId");
    }
  }

  /** What one device message decodes to. */
  sealed interface Decoded {}

  record Valid(Request request) implements Decoded {}

  /** Not a request: the device gets an {@code error} with {@code code} and {@code message}. */
  record Invalid(String code, String message) implements Decoded {}

  // ---- what devices send

  /** Decodes one whole device message. */
  static Decoded decode(Encoding encoding, byte[] message) {
    if (encoding != Encoding.JSON) {
      return new Invalid(
          UNSUPPORTED_FORMAT, "binary messages are not supported: send JSON as a text message");
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(message);
    } catch (JsonProcessingException e) {
      return new Invalid(INVALID_MESSAGE, "the message is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return new Invalid(INVALID_MESSAGE, "the message is not JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      return new Invalid(
          INVALID_MESSAGE,
          "a message is a JSON object {\"type\": ..., \"payload\": ...}, got " + quote(node));
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      return new Invalid(
          INVALID_MESSAGE,
          "a message needs \"type\": Subscribe, Unsubscribe, Ping or Ack; got " + quote(type));
    }
    JsonNode payload = node.path("payload");
    return switch (type.asText()) {
      case "Subscribe" -> channels("Subscribe", payload, Subscribe::new);
      case "Unsubscribe" -> channels("Unsubscribe", payload, Unsubscribe::new);
      case "Ping" -> new Valid(new Ping());
      case "Ack" -> ack(payload);
      default ->
          new Invalid(
              INVALID_MESSAGE,
              "unknown message type "
                  + quote(type)
                  + ": expected Subscribe, Unsubscribe, Ping or Ack");
    };
  }

  private static Decoded channels(
      String type, JsonNode payload, java.util.function.Function<List<String>, Request> request) {
    JsonNode channels = payload.path("channels");
    List<String> names = new ArrayList<>();
    if (channels.isArray()) {
      for (JsonNode name : channels) {
        if (!name.isTextual()) {
          names = null;
          break;
        }
        names.add(name.asText());
      }
    }
    if (!channels.isArray() || names == null) {
      return new Invalid(
          INVALID_MESSAGE,
          type
              + " needs \"payload\": {\"channels\": [channel names]}, got "
              + quote(payload.isMissingNode() ? null : payload));
    }
    return new Valid(request.apply(names));
  }

  private static Decoded ack(JsonNode payload) {
    JsonNode id = payload.path("notification_id");
    if (id.isTextual()) {
      try {
        return new Valid(new Ack(UUID.fromString(id.asText())));
      } catch (IllegalArgumentException e) {
        // answered below
      }
    }
    return new Invalid(
        INVALID_MESSAGE,
        "Ack needs \"payload\": {\"notification_id\": a notification's id (a UUID)}, got "
            + quote(payload.isMissingNode() ? null : payload));
  }

  /** {@code value} as JSON, cut to {@link #QUOTED_CHARS}; {@code nothing} when absent. */
  private static String quote(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    String text = value.toString();
    return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "...";
  }

  // ---- what devices receive

  /**
   * A notification in Ara's flat shape, from its JSON-RPC message ({@link Notification#encode},
   * stamped with its channel or not): {@code {"type":"notification"} and the params' fields.
   *
   * @throws IllegalArgumentException when {@code message} is not an encoded notification
   */
  static byte[] notification(byte[] message) {
    byte[] params = Notification.params(message);
    byte[] out = new byte[NOTIFICATION_START.length + params.length - 1];
    System.arraycopy(NOTIFICATION_START, 0, out, 0, NOTIFICATION_START.length);
    System.arraycopy(params, 1, out, NOTIFICATION_START.length, params.length - 1);
    return out;
  }

  static byte[] subscribed(List<String> channels) {
    return listed("subscribed", channels);
  }

  static byte[] unsubscribed(List<String> channels) {
    return listed("unsubscribed", channels);
  }

  private static byte[] listed(String type, List<String> channels) {
    ObjectNode out = typed(type);
    ArrayNode payload = out.putArray("payload");
    channels.forEach(payload::add);
    return bytes(out);
  }

  /** The answer to {@code Ping}; the caller must not modify it. */
  static byte[] pong() {
    return PONG;
  }

  /** Sent every keepalive ping interval; the caller must not modify it. */
  static byte[] heartbeat() {
    return HEARTBEAT;
  }

  static byte[] acked(UUID notificationId) {
    return bytes(typed("acked").put("notification_id", notificationId.toString()));
  }

  static byte[] error(String code, String message) {
    return bytes(typed("error").put("code", code).put("message", message));
  }

  static byte[] shutdown(String reason, long reconnectAfterSeconds) {
    return bytes(
        typed("shutdown")
            .put("reason", reason)
            .put("reconnect_after_seconds", reconnectAfterSeconds));
  }

  private static ObjectNode typed(String type) {
    return Json.nodes().objectNode().put("type", type);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
