package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Templates and JSON for the template tests. */
final class SampleTemplates {

  static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private SampleTemplates() {}

  /** A template {@code id} whose payload is {@code {"title": "Order {{order_id}} shipped"}}. */
  static Template template(String id) {
    return template(id, "{\"title\": \"Order {{order_id}} shipped\"}");
  }

  static Template template(String id, String payloadTemplate) {
    return new Template(
        id,
        "Order shipped",
        "order.shipped",
        json(payloadTemplate),
        Priority.HIGH,
        OptionalLong.of(86_400),
        Optional.empty(),
        CREATED,
        CREATED);
  }

  static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
