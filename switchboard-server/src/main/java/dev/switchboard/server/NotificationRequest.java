package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Metadata;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One notification the HTTP API was asked to send, read from a JSON body: {@code event_type} and
 * {@code payload} (required, nested at most {@link Notification#MAX_PAYLOAD_DEPTH} deep), {@code
 * priority}, {@code ttl} (seconds) and {@code correlation_id} (optional). Every problem is an
 * {@link ApiException} (422) naming the field and what was wrong.
 */
record NotificationRequest(Target target, String eventType, JsonNode payload, Metadata metadata) {

  /** The notification, created now. */
  Notification toNotification(Instant now) {
    return Notification.create(now, eventType, payload, metadata);
  }

  /** Reads the notification fields of {@code body}, for {@code target}. */
  static NotificationRequest read(JsonNode body, Target target) {
    String eventType = text(body, "event_type");
    try {
      Notification.checkEventType(eventType);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("event_type", e.getMessage());
    }
    JsonNode payload = body.get("payload");
    if (payload == null) {
      throw ApiException.invalid("payload", "is required (any JSON value)");
    }
    attempt("payload", () -> Notification.checkPayload(payload));
    Priority priority = Priority.NORMAL;
    JsonNode p = body.get("priority");
    if (p != null && !p.isNull()) {
      if (!p.isTextual()) {
        throw ApiException.invalid(
            "priority", "must be a string (Low, Normal, High, Critical), got " + p);
      }
      priority = attempt("priority", () -> Priority.parse(p.asText()));
    }
    OptionalLong ttl = OptionalLong.empty();
    JsonNode t = body.get("ttl");
    if (t != null && !t.isNull()) {
      if (!t.canConvertToExactIntegral() || !t.canConvertToLong() || t.asLong() <= 0) {
        throw ApiException.invalid("ttl", "must be a positive whole number of seconds, got " + t);
      }
      ttl = OptionalLong.of(t.asLong());
    }
    Optional<String> correlation = optionalText(body, "correlation_id");
    OptionalLong ttlSeconds = ttl;
    Priority chosen = priority;
    Metadata metadata = attempt(() -> new Metadata("api", chosen, ttlSeconds, correlation));
    return new NotificationRequest(target, eventType, payload, metadata);
  }

  /**
   * The target of kind {@code kind} (user, users, broadcast, channel, channels) whose recipients
   * are in {@code holder}'s field {@code field} (a string, or an array of strings for users and
   * channels; unused for broadcast).
   */
  static Target target(String kind, JsonNode holder, String field) {
    return attempt(
        field,
        () ->
            switch (kind) {
              case "user" -> new Target.User(text(holder, field));
              case "users" -> new Target.Users(texts(holder, field));
              case "broadcast" -> new Target.Broadcast();
              case "channel" -> new Target.Channel(text(holder, field));
              case "channels" -> new Target.Channels(texts(holder, field));
              default ->
                  throw ApiException.invalid(
                      "target type must be one of user, users, broadcast, channel, channels, got \""
                          + kind
                          + "\"");
            });
  }

  /** The object {@code body}, or a 400 saying what it was instead. */
  static JsonNode object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object");
    }
    return body;
  }

  /** A required string field. */
  static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw ApiException.invalid(field, "is required");
    }
    if (!node.isTextual()) {
      throw ApiException.invalid(field, "must be a string, got " + node);
    }
    return node.asText();
  }

  static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(text(body, field));
  }

  /** A required, non-empty array of strings. */
  static List<String> texts(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw ApiException.invalid(field, "is required");
    }
    if (!node.isArray() || node.isEmpty()) {
      throw ApiException.invalid(field, "must be a non-empty array of strings, got " + node);
    }
    List<String> out = new ArrayList<>(node.size());
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw ApiException.invalid(field, "must contain only strings, got " + item);
      }
      out.add(item.asText());
    }
    return out;
  }

  /**
   * Runs a gateway constructor, turning its IllegalArgumentException into a 422 with the same
   * message.
   */
  static <T> T attempt(java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  /** {@link #attempt(java.util.function.Supplier)}, blaming {@code field}. */
  static <T> T attempt(String field, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, e.getMessage());
    }
  }
}
