package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One notification, as devices receive it: the params of the JSON-RPC notification {@code
 * notification}.
 *
 * @param id a random UUID, unique per notification
 * @param occurredAt when the server accepted it (milliseconds precision)
 * @param eventType what happened, chosen by the sender (1-128 characters)
 * @param payload any JSON value nested at most {@link #MAX_PAYLOAD_DEPTH} deep, passed through
 *     untouched
 */
public record Notification(
    UUID id, Instant occurredAt, String eventType, JsonNode payload, Metadata metadata) {

  /** Longest event type. */
  public static final int MAX_EVENT_TYPE_LENGTH = 128;

  /**
   * How deep arrays and objects may nest in a payload ({@code [[1]]} is 2 deep). Devices parse
   * notifications with whatever JSON parser their platform has, some of them recursive; 64 levels
   * leave any real document room and stay within the {@link Json#MAX_DEPTH} the server reads,
   * envelope included.
   */
  public static final int MAX_PAYLOAD_DEPTH = 64;

  /** The JSON-RPC method devices receive notifications as. */
  public static final String METHOD = "notification";

  /** How every encoded notification begins, up to the opening brace of its params. */
  private static final byte[] PREFIX =
      "{\"jsonrpc\":\"2.0\",\"method\":\"notification\",\"params\":"
          .getBytes(StandardCharsets.US_ASCII);

  /** RFC 3339, UTC, always three fraction digits: {@code 2026-11-22T08:00:00.000Z}. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public Notification {
    Objects.requireNonNull(id, "id");
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MILLIS);
    checkEventType(eventType);
    checkPayload(payload);
    Objects.requireNonNull(metadata, "metadata");
  }

  /** A new notification with a fresh id, occurring at {@code now}. */
  public static Notification create(
      Instant now, String eventType, JsonNode payload, Metadata metadata) {
    return new Notification(UUID.randomUUID(), now, eventType, payload, metadata);
  }

  /**
   * @throws IllegalArgumentException when {@code eventType} is blank or longer than 128 characters
   */
  public static String checkEventType(String eventType) {
    if (eventType == null || eventType.isBlank() || eventType.length() > MAX_EVENT_TYPE_LENGTH) {
      throw new IllegalArgumentException(
          "event_type must be 1-"
              + MAX_EVENT_TYPE_LENGTH
              + " characters and not blank, got "
              + Names.quote(eventType));
    }
    return eventType;
  }

  /**
   * @throws IllegalArgumentException when {@code payload} nests deeper than {@link
   *     #MAX_PAYLOAD_DEPTH}
   */
  public static JsonNode checkPayload(JsonNode payload) {
    Objects.requireNonNull(payload, "payload");
    int depth = depth(payload);
    if (depth > MAX_PAYLOAD_DEPTH) {
      throw new IllegalArgumentException(
          "payload is nested "
              + depth
              + " levels deep (arrays and objects); "
              + "the limit is "
              + MAX_PAYLOAD_DEPTH);
    }
    return payload;
  }

  /** How deep arrays and objects nest in {@code value}: 0 for a scalar. Walks without recursion. */
  private static int depth(JsonNode value) {
    int deepest = 0;
    Deque<JsonNode> nodes = new ArrayDeque<>(List.of(value));
    Deque<Integer> depths = new ArrayDeque<>(List.of(0));
    while (!nodes.isEmpty()) {
      JsonNode node = nodes.pop();
      int depth = depths.pop();
      if (node.isContainerNode()) {
        deepest = Math.max(deepest, depth + 1);
        for (JsonNode child : node) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
    return deepest;
  }

  /**
   * The whole JSON-RPC message, {@code {"jsonrpc":"2.0","method":"notification","params":{...}}},
   * as UTF-8 bytes. Called once per notification; every recipient gets the same array.
   */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + payload.size() * 16);
    try (JsonGenerator g = Json.mapper().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("jsonrpc", "2.0");
      g.writeStringField("method", METHOD);
      g.writeObjectFieldStart("params");
      g.writeStringField("id", id.toString());
      g.writeStringField("occurred_at", TIMESTAMP.format(occurredAt));
      g.writeStringField("event_type", eventType);
      g.writeFieldName("payload");
      Json.mapper().writeTree(g, payload);
      g.writeObjectFieldStart("metadata");
      g.writeStringField("source", metadata.source());
      g.writeStringField("priority", metadata.priority().wireName());
      if (metadata.ttlSeconds().isPresent()) {
        g.writeNumberField("ttl", metadata.ttlSeconds().getAsLong());
      } else {
        g.writeNullField("ttl");
      }
      if (metadata.correlationId().isPresent()) {
        g.writeStringField("correlation_id", metadata.correlationId().get());
      } else {
        g.writeNullField("correlation_id");
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@code message} (made by {@link #encode}) with {@code channel}, {@code offset} and {@code
   * epoch} first in its params: what a channel's subscribers receive, made once per channel from
   * the bytes encoded once.
   *
   * @throws IllegalArgumentException when {@code message} is not an encoded notification, or the
   *     epoch holds a character that JSON would need to escape
   */
  public static byte[] stamp(byte[] message, String channel, long offset, String epoch) {
    Names.checkChannel(channel);
    for (int i = 0; i < epoch.length(); i++) {
      char c = epoch.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException("epoch " + Names.quote(epoch) + " must be plain ASCII");
      }
    }
    int start = paramsStart(message);
    byte[] fields =
        ("{\"channel\":\"" + channel + "\",\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\",")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[message.length - 1 + fields.length];
    System.arraycopy(message, 0, out, 0, start);
    System.arraycopy(fields, 0, out, start, fields.length);
    System.arraycopy(message, start + 1, out, start + fields.length, message.length - start - 1);
    return out;
  }

  /**
   * The params object of {@code message} (made by {@link #encode}, stamped or not): what an SSE
   * {@code notification} event carries.
   */
  public static byte[] params(byte[] message) {
    return Arrays.copyOfRange(message, paramsStart(message), message.length - 1);
  }

  private static int paramsStart(byte[] message) {
    if (message.length < PREFIX.length + 2
        || !Arrays.equals(message, 0, PREFIX.length, PREFIX, 0, PREFIX.length)
        || message[PREFIX.length] != '{'
        || message[message.length - 1] != '}') {
      throw new IllegalArgumentException("not an encoded notification");
    }
    return PREFIX.length;
  }
}
