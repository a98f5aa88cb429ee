package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Delivery;
import dev.switchboard.gateway.Target;
import dev.switchboard.jsonrpc.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/notifications/batch}: {@code {notifications: [{target: {type, value},
 * event_type, payload, priority?, ttl?, correlation_id?}], options: {stop_on_error, deduplicate}}},
 * at most {@link HttpLimits#maxBatchItems()} items. Items are sent in order; each gets a result.
 * With {@code stop_on_error}, the items after the first failure are not sent and say so. With
 * {@code deduplicate}, an item with the same target and event type as an earlier one is skipped
 * (reported with {@code skipped: true}, counted in {@code skipped}). An item may carry {@code
 * idempotency_key}, and the request an {@code Idempotency-Key} header for the whole batch (see
 * {@link IdempotentSends}).
 */
final class BatchApi {

  private final NotificationApi notifications;
  private final int maxItems;

  BatchApi(NotificationApi notifications, int maxItems) {
    this.notifications = notifications;
    this.maxItems = maxItems;
  }

  /**
   * Sends a batch; with an {@code Idempotency-Key} header the whole batch is sent once, and with
   * {@code idempotency_key} in an item that item is.
   */
  JsonNode handle(JsonNode body, Optional<String> headerKey) {
    NotificationRequest.object(body);
    return notifications
        .idempotent()
        .send(
            IdempotentSends.key(Json.nodes().objectNode(), headerKey),
            "batch",
            body,
            () -> sendAll(body));
  }

  private JsonNode sendAll(JsonNode body) {
    JsonNode items = body.get("notifications");
    if (items == null || !items.isArray()) {
      throw ApiException.invalid("notifications must be an array of notifications");
    }
    if (items.isEmpty() || items.size() > maxItems) {
      throw ApiException.invalid(
          "a batch holds 1 to " + maxItems + " notifications, got " + items.size());
    }
    JsonNode options = body.path("options");
    boolean stopOnError = flag(options, "stop_on_error");
    boolean deduplicate = flag(options, "deduplicate");

    ArrayNode results = Json.nodes().arrayNode();
    Map<DedupKey, Integer> seen = new HashMap<>();
    int successful = 0;
    int failed = 0;
    int skipped = 0;
    int firstFailure = -1;
    for (int index = 0; index < items.size(); index++) {
      ObjectNode result = results.addObject().put("index", index);
      if (firstFailure >= 0) {
        result
            .put("success", false)
            .put("error", "not sent: item " + firstFailure + " failed and stop_on_error is set");
        failed++;
        continue;
      }
      try {
        JsonNode item = NotificationRequest.object(items.get(index));
        NotificationRequest request = NotificationRequest.read(item, target(item.get("target")));
        DedupKey key = new DedupKey(request.target(), request.eventType());
        Integer earlier = deduplicate ? seen.putIfAbsent(key, index) : null;
        if (earlier != null) {
          result
              .put("success", false)
              .put("skipped", true)
              .put("error", "duplicate of item " + earlier + " (same target and event_type)");
          skipped++;
          continue;
        }
        JsonNode outcome =
            notifications
                .idempotent()
                .send(
                    IdempotentSends.key(item, Optional.empty()),
                    "batch-item",
                    item,
                    () -> {
                      Delivery delivery = notifications.send(request);
                      return Json.nodes()
                          .objectNode()
                          .put("success", true)
                          .put("notification_id", delivery.notificationId().toString())
                          .put("delivered_to", delivery.deliveredTo());
                    });
        result.setAll((ObjectNode) outcome);
        successful++;
      } catch (ApiException e) {
        result.put("success", false).put("error", e.getMessage());
        failed++;
        if (stopOnError) {
          firstFailure = index;
        }
      }
    }
    ObjectNode out = Json.nodes().objectNode();
    out.set("results", results);
    out.put("successful", successful).put("failed", failed).put("skipped", skipped);
    return out;
  }

  /** Targets are records: equal when they name the same recipients the same way. */
  private record DedupKey(Target target, String eventType) {}

  private static boolean flag(JsonNode options, String name) {
    JsonNode node = options.path(name);
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw ApiException.invalid("options." + name + " must be true or false, got " + node);
    }
    return node.asBoolean();
  }

  /** {@code {type: user|users|broadcast|channel|channels, value}}. */
  private static Target target(JsonNode target) {
    if (target == null || !target.isObject()) {
      throw ApiException.invalid("target must be an object {type, value}");
    }
    return NotificationRequest.target(NotificationRequest.text(target, "type"), target, "value");
  }
}
