package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A notification pushed by the server (the {@code notification} method's params).
 *
 * @param id its id; the same when it is delivered again
 * @param channel the channel it was sent to, for a channel's notification
 * @param offset its place in the channel's stream
 * @param epoch the stream's epoch (offsets compare only within one)
 * @param eventType its {@code event_type}
 * @param payload its {@code payload}
 * @param params everything the server sent, {@code metadata} and {@code occurred_at} included
 */
public record PushNotification(
    String id,
    Optional<String> channel,
    OptionalLong offset,
    Optional<String> epoch,
    String eventType,
    JsonNode payload,
    JsonNode params) {

  public PushNotification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(params, "params");
  }

  /** Reads the {@code notification} method's params. */
  static PushNotification from(JsonNode params) {
    JsonNode offset = params.path("offset");
    return new PushNotification(
        params.path("id").asText(""),
        text(params, "channel"),
        offset.isIntegralNumber() ? OptionalLong.of(offset.asLong()) : OptionalLong.empty(),
        text(params, "epoch"),
        params.path("event_type").asText(""),
        params.path("payload"),
        params);
  }

  private static Optional<String> text(JsonNode params, String field) {
    JsonNode value = params.get(field);
    return value == null || !value.isTextual() ? Optional.empty() : Optional.of(value.asText());
  }
}
