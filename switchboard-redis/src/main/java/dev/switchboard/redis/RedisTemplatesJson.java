package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Template;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link Template} as {@link RedisTemplates} stores it: one JSON object, its fields named as the
 * HTTP API names them, times as ISO-8601 instants to the nanosecond.
 */
final class RedisTemplatesJson {

  private RedisTemplatesJson() {}

  static byte[] write(Template template) {
    ObjectNode node = Json.nodes().objectNode();
    node.put("id", template.id());
    node.put("name", template.name());
    node.put("event_type", template.eventType());
    node.set("payload_template", template.payloadTemplate());
    node.put("priority", template.priority().wireName());
    template.ttlSeconds().ifPresent(ttl -> node.put("ttl_seconds", ttl));
    template.description().ifPresent(text -> node.put("description", text));
    node.put("created_at", template.createdAt().toString());
    node.put("updated_at", template.updatedAt().toString());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws SharedStateException when {@code json} is not a template (written by another version,
   *     or by hand)
   */
  static Template read(byte[] json) {
    try {
      JsonNode node = Json.mapper().readTree(json);
      return new Template(
          node.required("id").asText(),
          node.required("name").asText(),
          node.required("event_type").asText(),
          node.required("payload_template"),
          Priority.parse(node.required("priority").asText()),
          node.hasNonNull("ttl_seconds")
              ? OptionalLong.of(node.get("ttl_seconds").asLong())
              : OptionalLong.empty(),
          node.hasNonNull("description")
              ? Optional.of(node.get("description").asText())
              : Optional.empty(),
          Instant.parse(node.required("created_at").asText()),
          Instant.parse(node.required("updated_at").asText()));
    } catch (IOException | IllegalArgumentException e) {
      throw new SharedStateException("a template stored in Redis cannot be read: " + e, e);
    }
  }
}
