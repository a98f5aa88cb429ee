package dev.switchboard.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Metadata;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Reads {@link AraTrigger}s. The rules for names, event types, payloads, priorities and metadata
 * are the gateway's own ({@link Tenant}, {@link Target}, {@link Notification}, {@link Metadata},
 * {@link Priority}); this class only walks Ara's JSON shape and says which field a rule's message
 * is about.
 */
final class AraTriggerParser {

  private AraTriggerParser() {}

  /** A problem with one field; caught in {@link #parse} and turned into a Malformed. */
  private static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  static AraTrigger.Parsed parse(String channel, byte[] body, Instant now) {
    try {
      return new AraTrigger.Parsed.Valid(read(body, now));
    } catch (Invalid e) {
      return new AraTrigger.Parsed.Malformed(channel, e.getMessage());
    }
  }

  private static AraTrigger read(byte[] body, Instant now) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new Invalid("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Invalid("not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Invalid(
          "the message must be a JSON object, got "
              + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType()));
    }
    Tenant tenant =
        optionalText(root, "tenant_id")
            .map(id -> attempt("tenant_id", () -> new Tenant(id)))
            .orElse(Tenant.DEFAULT);
    String type = text(root, "type");
    Target target = attempt("target", () -> tenant.scope(target(type, root)));
    JsonNode event = root.get("event");
    if (event == null || event.isNull()) {
      throw new Invalid("event is required (an object with event_type and payload)");
    }
    if (!event.isObject()) {
      throw new Invalid("event must be an object, got " + shown(event));
    }
    return new AraTrigger(tenant, target, notification(event, now));
  }

  /** The target {@code type} names, its names as given (not yet scoped to the tenant). */
  private static Target target(String type, JsonNode root) {
    return switch (type) {
      case "user" -> new Target.User(text(root, "target"));
      case "users" -> new Target.Users(texts(root, "target"));
      case "channel" -> new Target.Channel(text(root, "target"));
      case "channels" -> new Target.Channels(texts(root, "target"));
      case "broadcast" -> {
        JsonNode given = root.get("target");
        if (given != null && !given.isNull()) {
          throw new Invalid("target must be absent for a broadcast, got " + shown(given));
        }
        yield new Target.Broadcast();
      }
      default ->
          throw new Invalid(
              "type must be one of user, users, broadcast, channel, channels, got "
                  + shown(root.get("type")));
    };
  }

  private static Notification notification(JsonNode event, Instant now) {
    String eventType = text(event, "event.", "event_type");
    attempt("event.event_type", () -> Notification.checkEventType(eventType));
    JsonNode payload = event.get("payload");
    if (payload == null) {
      throw new Invalid("event.payload is required (any JSON value)");
    }
    attempt("event.payload", () -> Notification.checkPayload(payload));
    Priority priority =
        optionalText(event, "event.", "priority")
            .map(p -> attempt("event.priority", () -> Priority.parse(p)))
            .orElse(Priority.NORMAL);
    OptionalLong ttl = OptionalLong.empty();
    JsonNode t = event.get("ttl");
    if (t != null && !t.isNull()) {
      if (!t.canConvertToExactIntegral() || !t.canConvertToLong() || t.asLong() <= 0) {
        throw new Invalid("event.ttl must be a positive whole number of seconds, got " + shown(t));
      }
      ttl = OptionalLong.of(t.asLong());
    }
    Optional<String> correlation = optionalText(event, "event.", "correlation_id");
    OptionalLong ttlSeconds = ttl;
    Metadata metadata =
        attempt("event", () -> new Metadata(AraTrigger.SOURCE, priority, ttlSeconds, correlation));
    return Notification.create(now, eventType, payload, metadata);
  }

  private static String text(JsonNode holder, String field) {
    return text(holder, "", field);
  }

  /** A required string field; {@code path} prefixes the field's name in messages. */
  private static String text(JsonNode holder, String path, String field) {
    JsonNode node = holder.get(field);
    if (node == null || node.isNull()) {
      throw new Invalid(path + field + " is required");
    }
    if (!node.isTextual()) {
      throw new Invalid(path + field + " must be a string, got " + shown(node));
    }
    return node.asText();
  }

  private static Optional<String> optionalText(JsonNode holder, String field) {
    return optionalText(holder, "", field);
  }

  private static Optional<String> optionalText(JsonNode holder, String path, String field) {
    JsonNode node = holder.get(field);
    return node == null || node.isNull()
        ? Optional.empty()
        : Optional.of(text(holder, path, field));
  }

  /** A required, non-empty array of strings. */
  private static List<String> texts(JsonNode holder, String field) {
    JsonNode node = holder.get(field);
    if (node == null || node.isNull()) {
      throw new Invalid(field + " is required");
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new Invalid(field + " must be a non-empty array of strings, got " + shown(node));
    }
    List<String> out = new ArrayList<>(node.size());
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new Invalid(field + " must contain only strings, got " + shown(item));
      }
      out.add(item.asText());
    }
    return out;
  }

  /** Runs a gateway check, its IllegalArgumentException becoming an Invalid about {@code field}. */
  private static <T> T attempt(String field, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new Invalid(field + ": " + e.getMessage());
    }
  }

  /** {@code node} as JSON, cut at 80 characters: the offending value in a message. */
  private static String shown(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
