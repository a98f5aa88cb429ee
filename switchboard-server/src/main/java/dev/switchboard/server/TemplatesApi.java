package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Template;
import dev.switchboard.gateway.Templates;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code /api/v1/templates}, as the Ara notification service has it:
 *
 * <pre>
 * POST   /api/v1/templates        {id, name, event_type, payload_template, priority?, ttl?,
 *                                 description?}: 201 with the template; 409 when the id is taken
 * GET    /api/v1/templates        {templates: [...], total}, by id
 * GET    /api/v1/templates/{id}   the template; 404 when there is none
 * PUT    /api/v1/templates/{id}   the fields given replace the template's (ttl or description null
 *                                 clears it): 200 with the template; 404 when there is none
 * DELETE /api/v1/templates/{id}   204; 404 when there is none
 * </pre>
 *
 * A template answers {@code {id, name, event_type, payload_template, priority, ttl, description,
 * created_at, updated_at}}. {@code default_priority} and {@code default_ttl}, as Ara's code spells
 * them, are read too. A bad field is 422 naming it; beyond {@link Templates#maxCount()} templates a
 * new one is 422 too. Sends use templates through {@link NotificationRequest}.
 */
final class TemplatesApi {

  static final String PATH = "/api/v1/templates";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Templates templates;
  private final Clock clock;

  TemplatesApi(Templates templates, Clock clock) {
    this.templates = templates;
    this.clock = clock;
  }

  /**
   * Answers {@code method} on {@link Endpoint#TEMPLATES} or {@link Endpoint#TEMPLATE}, which admit
   * only the methods answered here (a wrong one is 405 before it gets here).
   *
   * @param id the path's id, decoded; empty for the collection
   * @param body the parsed body of a POST or PUT
   */
  ApiAnswer handle(String method, Optional<String> id, Optional<JsonNode> body, Tenant tenant) {
    return new TemplatesApi(templates.in(tenant), clock).handle(method, id, body);
  }

  /** {@link #handle(String, Optional, Optional, Tenant)} on this API's store as it is. */
  ApiAnswer handle(String method, Optional<String> id, Optional<JsonNode> body) {
    if (id.isEmpty()) {
      return switch (method) {
        case "GET" -> ApiAnswer.ok(list());
        case "POST" -> ApiAnswer.created(create(object(body)));
        default -> throw notAdmitted(method);
      };
    }
    String templateId = id.get();
    return switch (method) {
      case "GET" -> ApiAnswer.ok(json(find(templateId)));
      case "PUT" -> ApiAnswer.ok(update(templateId, object(body)));
      case "DELETE" -> {
        if (!templates.delete(templateId)) {
          throw unknown(templateId);
        }
        yield ApiAnswer.noContent();
      }
      default -> throw notAdmitted(method);
    };
  }

  private JsonNode list() {
    ObjectNode out = Json.nodes().objectNode();
    ArrayNode list = out.putArray("templates");
    templates.list().forEach(t -> list.add(json(t)));
    return out.put("total", list.size());
  }

  private JsonNode create(JsonNode body) {
    String id =
        NotificationRequest.attempt(() -> Template.checkId(NotificationRequest.text(body, "id")));
    Instant now = now();
    Template template =
        NotificationRequest.attempt(
            () ->
                new Template(
                    id,
                    NotificationRequest.text(body, "name"),
                    NotificationRequest.text(body, "event_type"),
                    payloadTemplate(body),
                    priority(body).orElse(Priority.NORMAL),
                    ttl(body).orElse(OptionalLong.empty()),
                    description(body).orElse(Optional.empty()),
                    now,
                    now));
    return switch (templates.create(template)) {
      case Templates.Creation.Created created -> json(created.template());
      case Templates.Creation.AlreadyExists exists ->
          throw new ApiException(
              409,
              "CONFLICT",
              "a template with id \""
                  + id
                  + "\" exists already; PUT "
                  + PATH
                  + "/"
                  + id
                  + " changes it",
              Optional.empty());
      case Templates.Creation.Full full ->
          throw ApiException.invalid(
              "no room for another template: the server keeps at most "
                  + full.maxCount()
                  + " (templates.max_count); delete one first");
    };
  }

  private JsonNode update(String id, JsonNode body) {
    JsonNode given = body.get("id");
    if (given != null && !given.isNull() && !given.asText().equals(id)) {
      throw ApiException.invalid(
          "id in the body (" + given + ") differs from the id in the path (\"" + id + "\")");
    }
    Template old = find(id);
    Template changed =
        NotificationRequest.attempt(
            () ->
                new Template(
                    id,
                    body.has("name") ? NotificationRequest.text(body, "name") : old.name(),
                    body.has("event_type")
                        ? NotificationRequest.text(body, "event_type")
                        : old.eventType(),
                    body.has("payload_template") ? payloadTemplate(body) : old.payloadTemplate(),
                    priority(body).orElse(old.priority()),
                    ttl(body).orElse(old.ttlSeconds()),
                    description(body).orElse(old.description()),
                    old.createdAt(),
                    now()));
    if (!templates.replace(changed)) {
      throw unknown(id); // deleted meanwhile
    }
    return json(changed);
  }

  private Template find(String id) {
    return templates.get(id).orElseThrow(() -> unknown(id));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static JsonNode payloadTemplate(JsonNode body) {
    JsonNode node = body.get("payload_template");
    if (node == null || node.isNull()) {
      throw ApiException.invalid("payload_template is required (any JSON value)");
    }
    return node;
  }

  /** {@code priority} or {@code default_priority}; empty when neither is given. */
  private static Optional<Priority> priority(JsonNode body) {
    String field = body.has("priority") ? "priority" : "default_priority";
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiException.invalid(
          field + " must be a string (Low, Normal, High, Critical), got " + node);
    }
    return Optional.of(NotificationRequest.attempt(() -> Priority.parse(node.asText())));
  }

  /** {@code ttl} or {@code default_ttl}: empty when neither is given; a null given clears it. */
  private static Optional<OptionalLong> ttl(JsonNode body) {
    String field = body.has("ttl") ? "ttl" : "default_ttl";
    JsonNode node = body.get(field);
    if (node == null) {
      return Optional.empty();
    }
    return Optional.of(
        node.isNull()
            ? OptionalLong.empty()
            : OptionalLong.of(NotificationRequest.positiveSeconds(field, node)));
  }

  /** Empty when not given; a null given clears it. */
  private static Optional<Optional<String>> description(JsonNode body) {
    if (!body.has("description")) {
      return Optional.empty();
    }
    return Optional.of(NotificationRequest.optionalText(body, "description"));
  }

  static ObjectNode json(Template t) {
    ObjectNode out =
        Json.nodes()
            .objectNode()
            .put("id", t.id())
            .put("name", t.name())
            .put("event_type", t.eventType());
    out.set("payload_template", t.payloadTemplate());
    out.put("priority", t.priority().wireName());
    if (t.ttlSeconds().isPresent()) {
      out.put("ttl", t.ttlSeconds().getAsLong());
    } else {
      out.putNull("ttl");
    }
    t.description()
        .ifPresentOrElse(d -> out.put("description", d), () -> out.putNull("description"));
    return out.put("created_at", TIMESTAMP.format(t.createdAt()))
        .put("updated_at", TIMESTAMP.format(t.updatedAt()));
  }

  private static JsonNode object(Optional<JsonNode> body) {
    return body.filter(JsonNode::isObject)
        .orElseThrow(() -> ApiException.badRequest("the request body must be a JSON object"));
  }

  private static ApiException unknown(String id) {
    return ApiException.notFound("no template with id \"" + id + "\"");
  }

  /** A method {@link Endpoint} should have answered 405: a bug, answered 500. */
  private static IllegalStateException notAdmitted(String method) {
    return new IllegalStateException(
        method + " reached " + PATH + ", whose Endpoint rows refuse it");
  }
}
