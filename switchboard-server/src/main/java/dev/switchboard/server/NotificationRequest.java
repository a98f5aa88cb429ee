package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.Metadata;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Template;
import dev.switchboard.gateway.Templates;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One notification the HTTP API was asked to send, read from a JSON body: either {@code event_type}
 * and {@code payload} (nested at most {@link Notification#MAX_PAYLOAD_DEPTH} deep), or {@code
 * template_id} and {@code variables} (an object; the stored {@link Template}'s event type and its
 * payload rendered with them); then {@code priority}, {@code ttl} (seconds) and {@code
 * correlation_id}, optional (a template's priority and ttl are the defaults). Every problem is an
 * {@link ApiException}: 422 naming the field and what was wrong, 404 for an unknown template.
 */
record NotificationRequest(Target target, String eventType, JsonNode payload, Metadata metadata) {

  /** The notification, created now. */
  Notification toNotification(Instant now) {
    return Notification.create(now, eventType, payload, metadata);
  }

  /** What to send, from the request itself or from a template, with the defaults it brings. */
  private record Content(
      String eventType, JsonNode payload, Priority priority, OptionalLong ttlSeconds) {}

  /**
   * Reads the notification fields of {@code body}, for {@code target}, looking a {@code
   * template_id} up in {@code templates}.
   */
  static NotificationRequest read(JsonNode body, Target target, Templates templates) {
    Content content = body.has("template_id") ? fromTemplate(body, templates) : direct(body);
    attempt("payload", () -> Notification.checkPayload(content.payload()));
    Priority priority = content.priority();
    JsonNode p = body.get("priority");
    if (p != null && !p.isNull()) {
      if (!p.isTextual()) {
        throw ApiException.invalid(
            "priority", "must be a string (Low, Normal, High, Critical), got " + p);
      }
      priority = attempt("priority", () -> Priority.parse(p.asText()));
    }
    OptionalLong ttl = content.ttlSeconds();
    JsonNode t = body.get("ttl");
    if (t != null && !t.isNull()) {
      ttl = OptionalLong.of(positiveSeconds("ttl", t));
    }
    Optional<String> correlation = optionalText(body, "correlation_id");
    OptionalLong ttlSeconds = ttl;
    Priority chosen = priority;
    Metadata metadata = attempt(() -> new Metadata("api", chosen, ttlSeconds, correlation));
    return new NotificationRequest(target, content.eventType(), content.payload(), metadata);
  }

  private static Content direct(JsonNode body) {
    if (body.has("variables")) {
      throw ApiException.invalid("variables", "is given without template_id");
    }
    String eventType = text(body, "event_type");
    try {
      Notification.checkEventType(eventType);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("event_type", e.getMessage());
    }
    JsonNode payload = body.get("payload");
    if (payload == null) {
      throw ApiException.invalid(
          "payload",
          "is required (any JSON value), or template_id and variables instead of"
              + " event_type and payload");
    }
    return new Content(eventType, payload, Priority.NORMAL, OptionalLong.empty());
  }

  private static Content fromTemplate(JsonNode body, Templates templates) {
    for (String field : new String[] {"event_type", "payload"}) {
      if (body.has(field)) {
        throw ApiException.invalid(
            field,
            "is given with template_id: send template_id and variables, or event_type and"
                + " payload, not both");
      }
    }
    String id = attempt("template_id", () -> Template.checkId(text(body, "template_id")));
    JsonNode variables = body.path("variables");
    if (variables.isMissingNode() || variables.isNull()) {
      variables = Json.nodes().objectNode();
    } else if (!variables.isObject()) {
      throw ApiException.invalid("variables", "must be an object, got " + variables);
    }
    Template template =
        templates
            .get(id)
            .orElseThrow(() -> ApiException.notFound("no template with id \"" + id + "\""));
    JsonNode given = variables;
    JsonNode payload = attempt(() -> template.render(given));
    return new Content(template.eventType(), payload, template.priority(), template.ttlSeconds());
  }

  /** {@code node}, a positive whole number of seconds, or a 422 naming {@code field}. */
  static long positiveSeconds(String field, JsonNode node) {
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() <= 0) {
      throw ApiException.invalid(field, "must be a positive whole number of seconds, got " + node);
    }
    return node.asLong();
  }

  /**
   * The target of kind {@code kind} (user, users, broadcast, channel, channels) whose recipients
   * are in {@code holder}'s field {@code field} (a string, or an array of strings for users and
   * channels; unused for broadcast).
   */
  static Target target(String kind, JsonNode holder, String field) {
    // A tenant's names, checked as public names (no tenant prefix): scoping them never fails.
    return attempt(
        field,
        () ->
            Tenant.DEFAULT.scope(
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
                }));
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
