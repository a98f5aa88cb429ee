package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** The notification the gateway's tests send: an order shipped, at a fixed time. */
final class SampleNotifications {

  private SampleNotifications() {}

  static Notification notification(Priority priority) {
    JsonNode payload = Json.mapper().createObjectNode().put("order", 17);
    return Notification.create(
        Instant.parse("2024-05-06T07:08:09.123Z"),
        "order.shipped",
        payload,
        new Metadata("api", priority, OptionalLong.empty(), Optional.empty()));
  }

  static Notification notification() {
    return notification(Priority.NORMAL);
  }
}
