package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Notification;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.rpc.CloseReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The server's events in the SSE wire format (WHATWG HTML, "Server-sent events"), each a whole
 * event ending in a blank line. Every {@code data} is one line of JSON: Jackson's compact output
 * escapes line breaks inside strings and puts none between tokens, and {@link #event} refuses a
 * line break anywhere, so a field can never end early or inject another. Pure: no sockets, no
 * clock. Thread-safe.
 *
 * <p>The events:
 *
 * <ul>
 *   <li>{@code connected}: {@code {"connection_id", "user_id"}}, first on every stream;
 *   <li>{@code notification}: the notification's params, with the stream's {@link SseEventId} as
 *       {@code id};
 *   <li>{@code heartbeat}: {@code {"timestamp"}} (RFC 3339, UTC, milliseconds);
 *   <li>{@code error}: {@code {"code", "message"}} (and {@code "streams"} for {@code
 *       not_recovered}), before the server ends the stream or when resuming failed;
 *   <li>any other JSON-RPC notification of the server, {@code shutdown} among them: {@code event:
 *       <method>}, {@code data: <params>}.
 * </ul>
 */
final class SseEvents {

  /** The error code of a stream that could not be resumed from the client's last event id. */
  static final String NOT_RECOVERED = "not_recovered";

  /** RFC 3339, UTC, always three fraction digits, as notifications' {@code occurred_at}. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private SseEvents() {}

  /** {@code event: connected}, the first event of every stream. */
  static byte[] connected(String connectionId, String userId) {
    ObjectNode data =
        Json.nodes().objectNode().put("connection_id", connectionId).put("user_id", userId);
    return event("connected", Optional.empty(), OptionalLong.empty(), json(data));
  }

  /**
   * {@code event: notification} for an encoded notification message ({@link Notification#encode},
   * stamped or not): its params as data, {@code id} when the connection has one.
   *
   * @throws IllegalArgumentException when {@code message} is not an encoded notification
   */
  static byte[] notification(byte[] message, Optional<String> id) {
    return event("notification", id, OptionalLong.empty(), Notification.params(message));
  }

  /** {@code event: heartbeat} at {@code now}. */
  static byte[] heartbeat(Instant now) {
    ObjectNode data = Json.nodes().objectNode().put("timestamp", TIMESTAMP.format(now));
    return event("heartbeat", Optional.empty(), OptionalLong.empty(), json(data));
  }

  /** {@code event: error} with {@code code} and {@code message}. */
  static byte[] error(String code, String message) {
    ObjectNode data = Json.nodes().objectNode().put("code", code).put("message", message);
    return event("error", Optional.empty(), OptionalLong.empty(), json(data));
  }

  /**
   * {@code event: error} with code {@link #NOT_RECOVERED}: the client's last event id could not be
   * resumed for {@code streams} (their keys, as in {@link SseEventId}).
   */
  static byte[] notRecovered(List<String> streams) {
    ObjectNode data =
        Json.nodes()
            .objectNode()
            .put("code", NOT_RECOVERED)
            .put(
                "message",
                "could not resume "
                    + String.join(", ", streams)
                    + " after the last event id (the history is gone or too old): the inbox"
                    + " falls back to what is still owed, channels go on live");
    ArrayNode keys = data.putArray("streams");
    streams.forEach(keys::add);
    return event("error", Optional.empty(), OptionalLong.empty(), json(data));
  }

  /**
   * {@code event: error} saying why the server ends the stream: the close code's name ({@link
   * #closeCode}) and the reason.
   */
  static byte[] closing(CloseReason reason) {
    return error(closeCode(reason.code()), reason.reason());
  }

  /**
   * The name of a close code in an {@code error} event: {@code slow_consumer} (4008), {@code
   * token_expired} (4001), {@code going_away} (1001: shutdown, maximum connection duration), {@code
   * join_failed} ({@link SseSink#JOIN_FAILED}), {@code policy_violation} (1008), else {@code
   * closed}.
   */
  static String closeCode(int code) {
    return switch (code) {
      case Session.SLOW_CONSUMER -> "slow_consumer";
      case TokenExpiry.CLOSE_CODE -> "token_expired";
      case CloseReason.GOING_AWAY -> "going_away";
      case CloseReason.POLICY_VIOLATION -> "policy_violation";
      case SseSink.JOIN_FAILED -> "join_failed";
      default -> "closed";
    };
  }

  /**
   * An event with only an {@code id}: it sets the client's last event id and fires nothing (an
   * event without data is not dispatched, but its id is kept).
   */
  static byte[] idOnly(String id) {
    return event("", Optional.of(id), OptionalLong.empty(), null);
  }

  /**
   * A JSON-RPC notification of the server's other than {@code notification} ({@code shutdown}, for
   * one) as {@code event: <method>}, {@code data: <params>}; {@code shutdown} also sets the
   * client's reconnection time ({@code retry}) to its {@code reconnect_after_seconds}. Empty for
   * what an SSE client cannot use: answers and calls (SSE clients make no calls), or anything that
   * is not a JSON-RPC notification.
   */
  static Optional<byte[]> rpc(byte[] message) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(message);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null
        || !node.isObject()
        || node.has("id")
        || !node.path("method").isTextual()
        || !isToken(node.get("method").asText())) {
      return Optional.empty();
    }
    String method = node.get("method").asText();
    JsonNode params = node.has("params") ? node.get("params") : Json.nodes().objectNode();
    OptionalLong retry = OptionalLong.empty();
    JsonNode after = params.path("reconnect_after_seconds");
    if (method.equals("shutdown") && after.canConvertToLong() && after.asLong() >= 0) {
      retry = OptionalLong.of(Math.multiplyExact(after.asLong(), 1000L));
    }
    return Optional.of(event(method, Optional.empty(), retry, json(params)));
  }

  /** A method name fit to be an event type: printable ASCII without spaces or colons. */
  private static boolean isToken(String method) {
    if (method.isEmpty() || method.length() > 128) {
      return false;
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c <= ' ' || c > '~' || c == ':') {
        return false;
      }
    }
    return true;
  }

  /**
   * One whole event: {@code event} (none when empty), {@code id}, {@code retry}, and {@code data}
   * as one line (none when null), then the blank line that dispatches it.
   *
   * @throws IllegalArgumentException when a field holds a line break (CR or LF), which would end it
   *     early
   */
  static byte[] event(String type, Optional<String> id, OptionalLong retry, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (data == null ? 0 : data.length));
    if (!type.isEmpty()) {
      field(out, "event", oneLine("event", type.getBytes(StandardCharsets.UTF_8)));
    }
    if (id.isPresent()) {
      field(out, "id", oneLine("id", id.get().getBytes(StandardCharsets.UTF_8)));
    }
    if (retry.isPresent()) {
      field(out, "retry", String.valueOf(retry.getAsLong()).getBytes(StandardCharsets.US_ASCII));
    }
    if (data != null) {
      field(out, "data", oneLine("data", data));
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String name, byte[] value) {
    out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
    out.write(':');
    out.write(' ');
    out.writeBytes(value);
    out.write('\n');
  }

  private static byte[] oneLine(String field, byte[] value) {
    for (byte b : value) {
      if (b == '\n' || b == '\r') {
        throw new IllegalArgumentException(
            "an SSE " + field + " field must be one line; this one holds a line break");
      }
    }
    return value;
  }

  private static byte[] json(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
