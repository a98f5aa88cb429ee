package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Delivery;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/notifications/batch}: {@code {notifications: [{target, event_type, payload,
 * priority?, ttl?, correlation_id?}], atomic?, options?: {stop_on_error, deduplicate, atomic}}}, at
 * most {@link HttpLimits#maxBatchItems()} items; an item may give {@code template_id} and {@code
 * variables} instead of {@code event_type} and {@code payload}. A target is {@code {type, value}},
 * or Ara's {@code {type: user, id}}, {@code {type: users, ids}}, {@code {type: channel, name}},
 * {@code {type: channels, names}}, {@code {type: broadcast}}.
 *
 * <p>Every item is read and validated first, then the valid ones are sent in order; each gets a
 * result. With {@code atomic}, nothing is sent unless every item is valid, and a failure while
 * sending (an engine out of reach) stops the batch there. With {@code stop_on_error}, the items
 * after the first failure are not sent and say so. With {@code deduplicate}, an item with the same
 * target and event type as an earlier one is skipped (reported with {@code skipped: true}, counted
 * in {@code skipped}). An item may carry {@code idempotency_key}, and the request an {@code
 * Idempotency-Key} header for the whole batch (see {@link IdempotentSends}).
 */
final class BatchApi {

  private final NotificationApi notifications;
  private final int maxItems;
  private final java.util.function.IntConsumer sizes;

  BatchApi(NotificationApi notifications, int maxItems) {
    this(notifications, maxItems, size -> {});
  }

  /**
   * @param sizes told the size of every batch that is sent (for the {@code switchboard_batch_size}
   *     histogram)
   */
  BatchApi(NotificationApi notifications, int maxItems, java.util.function.IntConsumer sizes) {
    this.notifications = notifications;
    this.maxItems = maxItems;
    this.sizes = sizes;
  }

  /** One item as read: ready to send, or what is wrong with it. */
  private sealed interface Item {
    record Valid(JsonNode body, NotificationRequest request, Optional<String> key)
        implements Item {}

    record Invalid(ApiException problem) implements Item {}
  }

  /**
   * Sends a batch; with an {@code Idempotency-Key} header the whole batch is sent once, and with
   * {@code idempotency_key} in an item that item is.
   */
  JsonNode handle(JsonNode body, Optional<String> headerKey, Tenant tenant) {
    NotificationRequest.object(body);
    return notifications
        .idempotent()
        .send(
            IdempotentSends.in(tenant, IdempotentSends.key(Json.nodes().objectNode(), headerKey)),
            "batch",
            body,
            () -> sendAll(body, tenant));
  }

  private JsonNode sendAll(JsonNode body, Tenant tenant) {
    JsonNode notificationsField = body.get("notifications");
    if (notificationsField == null || !notificationsField.isArray()) {
      throw ApiException.invalid("notifications must be an array of notifications");
    }
    if (notificationsField.isEmpty() || notificationsField.size() > maxItems) {
      throw ApiException.invalid(
          "a batch holds 1 to " + maxItems + " notifications, got " + notificationsField.size());
    }
    JsonNode options = body.path("options");
    boolean stopOnError = flag(options, "stop_on_error", "options.");
    boolean deduplicate = flag(options, "deduplicate", "options.");
    boolean atomic = flag(body, "atomic", "") || flag(options, "atomic", "options.");

    sizes.accept(notificationsField.size());
    List<Item> items = new ArrayList<>();
    notificationsField.forEach(item -> items.add(read(item, tenant)));
    int firstInvalid = firstInvalid(items);
    if (atomic && firstInvalid >= 0) {
      return refuseAll(items, firstInvalid);
    }

    ArrayNode results = Json.nodes().arrayNode();
    Map<DedupKey, Integer> seen = new HashMap<>();
    int successful = 0;
    int failed = 0;
    int skipped = 0;
    Optional<String> stopped = Optional.empty();
    for (int index = 0; index < items.size(); index++) {
      ObjectNode result = results.addObject().put("index", index);
      if (stopped.isPresent()) {
        result.put("success", false).put("error", stopped.get());
        failed++;
        continue;
      }
      try {
        Item.Valid item =
            switch (items.get(index)) {
              case Item.Valid valid -> valid;
              case Item.Invalid invalid -> throw invalid.problem();
            };
        NotificationRequest request = item.request();
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
        result.setAll(send(item, tenant));
        successful++;
      } catch (ApiException e) {
        result.put("success", false).put("error", e.getMessage());
        failed++;
        if (atomic) {
          stopped = Optional.of("not sent: item " + index + " failed and atomic is set");
        } else if (stopOnError) {
          stopped = Optional.of("not sent: item " + index + " failed and stop_on_error is set");
        }
      }
    }
    return answer(results, successful, failed, skipped);
  }

  private Item read(JsonNode body, Tenant tenant) {
    try {
      JsonNode item = NotificationRequest.object(body);
      NotificationRequest request = notifications.read(item, target(item.get("target")), tenant);
      return new Item.Valid(item, request, IdempotentSends.key(item, Optional.empty()));
    } catch (ApiException e) {
      return new Item.Invalid(e);
    }
  }

  private ObjectNode send(Item.Valid item, Tenant tenant) {
    return (ObjectNode)
        notifications
            .idempotent()
            .send(
                IdempotentSends.in(tenant, item.key()),
                "batch-item",
                item.body(),
                () -> {
                  Delivery delivery = notifications.send(item.request(), tenant);
                  return Json.nodes()
                      .objectNode()
                      .put("success", true)
                      .put("notification_id", delivery.notificationId().toString())
                      .put("delivered_to", delivery.deliveredTo());
                });
  }

  private static int firstInvalid(List<Item> items) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof Item.Invalid) {
        return i;
      }
    }
    return -1;
  }

  /** An atomic batch with an invalid item: nothing is sent, and every item says why. */
  private static JsonNode refuseAll(List<Item> items, int firstInvalid) {
    ArrayNode results = Json.nodes().arrayNode();
    for (int index = 0; index < items.size(); index++) {
      String error =
          switch (items.get(index)) {
            case Item.Invalid invalid -> invalid.problem().getMessage();
            case Item.Valid valid ->
                "not sent: item " + firstInvalid + " is invalid and atomic is set";
          };
      results.addObject().put("index", index).put("success", false).put("error", error);
    }
    return answer(results, 0, items.size(), 0);
  }

  private static JsonNode answer(ArrayNode results, int successful, int failed, int skipped) {
    ObjectNode out = Json.nodes().objectNode();
    out.set("results", results);
    return out.put("successful", successful).put("failed", failed).put("skipped", skipped);
  }

  /** Targets are records: equal when they name the same recipients the same way. */
  private record DedupKey(Target target, String eventType) {}

  private static boolean flag(JsonNode holder, String name, String prefix) {
    JsonNode node = holder.path(name);
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw ApiException.invalid(prefix + name + " must be true or false, got " + node);
    }
    return node.asBoolean();
  }

  /**
   * {@code {type: user|users|broadcast|channel|channels, value}}, or with Ara's field for the
   * recipients instead of {@code value}: {@code id}, {@code ids}, {@code name}, {@code names}.
   */
  static Target target(JsonNode target) {
    if (target == null || !target.isObject()) {
      throw ApiException.invalid(
          "target must be an object: {type: user, id}, {type: users, ids}, {type: channel, name},"
              + " {type: channels, names}, {type: broadcast} (or {type, value})");
    }
    String type = NotificationRequest.text(target, "type");
    String field =
        switch (type) {
          case "user" -> "id";
          case "users" -> "ids";
          case "channel" -> "name";
          case "channels" -> "names";
          default -> "value";
        };
    boolean named = !field.equals("value") && target.has(field);
    if (named && target.has("value")) {
      throw ApiException.invalid(
          "target has both " + field + " and value; give " + field + " only, got " + target);
    }
    if (!named && !target.has("value") && !type.equals("broadcast") && !field.equals("value")) {
      throw ApiException.invalid(
          "target of type " + type + " needs " + field + " (or value), got " + target);
    }
    return NotificationRequest.target(type, target, named ? field : "value");
  }
}
