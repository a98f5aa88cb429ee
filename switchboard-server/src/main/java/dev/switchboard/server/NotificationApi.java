package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Delivery;
import dev.switchboard.gateway.Dispatcher;
import dev.switchboard.gateway.Target;
import dev.switchboard.jsonrpc.Json;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /api/v1/notifications/{send, send-to-users, broadcast, channel, channels}}: requests
 * and answers shaped as the Ara notification service's, so its users keep their backends. A request
 * is read whole, validated (422 naming the field), then sent; the answer says how many devices it
 * reached.
 */
final class NotificationApi {

  private final Dispatcher dispatcher;
  private final Clock clock;

  NotificationApi(Dispatcher dispatcher, Clock clock) {
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  /** Handles {@code /api/v1/notifications/<action>} for every action but batch. */
  JsonNode handle(String action, JsonNode body) {
    NotificationRequest.object(body);
    Target target =
        switch (action) {
          case "send" -> NotificationRequest.target("user", body, "target_user_id");
          case "send-to-users" -> NotificationRequest.target("users", body, "target_user_ids");
          case "broadcast", "channel", "channels" ->
              NotificationRequest.target(action, body, action);
          default ->
              throw ApiException.notFound("no such endpoint: /api/v1/notifications/" + action);
        };
    return answer(send(NotificationRequest.read(body, target)), target);
  }

  Delivery send(NotificationRequest request) {
    return dispatcher.send(request.target(), request.toNotification(clock.instant()));
  }

  /** The answer for one send, by target kind. */
  static ObjectNode answer(Delivery delivery, Target target) {
    ObjectNode out = Json.nodes().objectNode();
    out.put("notification_id", delivery.notificationId().toString());
    switch (target) {
      case Target.User u -> {
        out.put("delivered_to", delivery.deliveredTo());
        // The offline queue comes with delivery guarantees; until then nothing is queued for absent
        // users.
        out.put("queued", false);
      }
      case Target.Users u -> {
        ObjectNode results = out.putObject("results");
        for (Map.Entry<String, Integer> e : delivery.perUser().entrySet()) {
          results
              .putObject(e.getKey())
              .put("delivered", e.getValue() > 0)
              .put("connections", e.getValue());
        }
      }
      case Target.Broadcast b -> out.put("delivered_to", delivery.deliveredTo());
      case Target.Channel c ->
          out.put("channel", c.name()).put("delivered_to", delivery.deliveredTo());
      case Target.Channels c -> {
        ObjectNode channels = out.putObject("channels");
        delivery.perChannel().forEach((name, n) -> channels.putObject(name).put("delivered_to", n));
        out.put("total_delivered", delivery.deliveredTo());
      }
    }
    return out;
  }
}
