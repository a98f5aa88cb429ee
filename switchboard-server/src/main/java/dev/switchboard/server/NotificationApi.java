package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.Delivery;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Templates;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/notifications/{send, send-to-users, broadcast, channel, channels}}: requests
 * and answers shaped as the Ara notification service's, so its users keep their backends. A request
 * is read whole, validated (422 naming the field), then sent through the {@link Broker} (every node
 * delivers to its own devices); the answer says how many devices it reached. A broker that cannot
 * reach its shared engine makes it 503 {@code unavailable}.
 */
final class NotificationApi {

  private static final Logger log = LoggerFactory.getLogger(NotificationApi.class);

  private final Broker broker;
  private final ServerTracing tracing;
  private final Clock clock;
  private final IdempotentSends idempotent;
  private final Templates templates;
  private final TenantMessages sentToday;

  NotificationApi(Broker broker, Clock clock, IdempotentSends idempotent, Templates templates) {
    this(broker, clock, idempotent, templates, ServerTracing.off());
  }

  /**
   * @param tracing makes each send's {@code notification.send} span
   */
  NotificationApi(
      Broker broker,
      Clock clock,
      IdempotentSends idempotent,
      Templates templates,
      ServerTracing tracing) {
    this.tracing = tracing;
    this.broker = broker;
    this.clock = clock;
    this.idempotent = idempotent;
    this.templates = templates;
    this.sentToday = new TenantMessages(clock);
  }

  /** What each tenant sent through this node today. */
  TenantMessages sentToday() {
    return sentToday;
  }

  IdempotentSends idempotent() {
    return idempotent;
  }

  /**
   * Handles {@code /api/v1/notifications/<action>} for every action but batch; a request with an
   * idempotency key ({@code idempotency_key} in the body, else the {@code Idempotency-Key} header)
   * answers a repeat with the first answer.
   */
  JsonNode handle(String action, JsonNode body, Optional<String> headerKey, Tenant tenant) {
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
    NotificationRequest request = read(body, target, tenant);
    return idempotent.send(
        IdempotentSends.in(tenant, IdempotentSends.key(body, headerKey)),
        action,
        body,
        () -> answer(send(request, tenant), target, tenant));
  }

  /**
   * The notification {@code body} asks for, to {@code target}: its own {@code event_type} and
   * {@code payload}, or a stored template's rendered with its {@code variables}.
   */
  NotificationRequest read(JsonNode body, Target target, Tenant tenant) {
    return NotificationRequest.read(body, target, templates.in(tenant));
  }

  /**
   * Sends {@code request} and waits for the broker's answer (handlers run on virtual threads; the
   * broker bounds its own wait).
   *
   * @throws ApiException 503 when the broker's shared engine could not be reached
   */
  @SuppressWarnings("try") // the scope makes the span current; nothing reads it by name
  Delivery send(NotificationRequest request, Tenant tenant) {
    Notification notification = request.toNotification(clock.instant());
    Span span = tracing.start("notification.send", SpanKind.INTERNAL, Context.current());
    if (span.isRecording()) {
      span.setAttribute("notification.id", notification.id().toString())
          .setAttribute("notification.target_type", request.target().kind())
          .setAttribute("notification.event_type", notification.eventType())
          .setAttribute("tenant.id", tenant.id());
    }
    try (Scope ignored = span.makeCurrent()) {
      Delivery delivery =
          broker.publish(tenant.scope(request.target()), notification).toCompletableFuture().join();
      span.setAttribute("notification.delivered_count", delivery.deliveredTo());
      sentToday.sent(tenant, delivery.deliveredTo());
      log.atDebug()
          .addKeyValue(LogFields.NOTIFICATION_ID, delivery.notificationId())
          .addKeyValue(LogFields.TENANT_ID, tenant.id())
          .log(
              "notification {} sent: delivered to {} devices",
              delivery.notificationId(),
              delivery.deliveredTo());
      return delivery;
    } catch (CompletionException e) {
      span.setStatus(StatusCode.ERROR);
      throw switch (e.getCause()) {
        case SharedStateException unreachable -> unavailable(unreachable);
        case RuntimeException other -> other;
        case null, default -> e;
      };
    } catch (SharedStateException e) {
      span.setStatus(StatusCode.ERROR);
      throw unavailable(e);
    } finally {
      span.end();
    }
  }

  /**
   * A send the shared engine could not take: 503 with {@code Retry-After: 1}. When the store
   * refused it, nothing was sent; when it failed later, some nodes may have delivered it, and a
   * retry with the same idempotency key sends nothing twice once the first answer is kept.
   */
  private static ApiException unavailable(SharedStateException e) {
    return ApiException.unavailable(
        "the notification could not be made durable, try again: " + e.getMessage(),
        RETRY_AFTER_SECONDS);
  }

  /** What a 503 from an unreachable shared engine asks the sender to wait. */
  static final long RETRY_AFTER_SECONDS = 1;

  /** The answer for one send to {@code target} (names of {@code tenant}), by target kind. */
  static ObjectNode answer(Delivery delivery, Target target, Tenant tenant) {
    ObjectNode out = Json.nodes().objectNode();
    out.put("notification_id", delivery.notificationId().toString());
    switch (target) {
      case Target.User u -> {
        out.put("delivered_to", delivery.deliveredTo());
        out.put("queued", delivery.queuedFor(tenant.user(u.userId())));
      }
      case Target.Users u -> {
        ObjectNode results = out.putObject("results");
        for (Map.Entry<String, Integer> e : delivery.perUser().entrySet()) {
          results
              .putObject(Tenant.userName(e.getKey()))
              .put("delivered", e.getValue() > 0)
              .put("queued", delivery.queuedFor(e.getKey()))
              .put("connections", e.getValue());
        }
      }
      case Target.Broadcast b -> out.put("delivered_to", delivery.deliveredTo());
      case Target.Channel c ->
          out.put("channel", c.name()).put("delivered_to", delivery.deliveredTo());
      case Target.Channels c -> {
        ObjectNode channels = out.putObject("channels");
        delivery
            .perChannel()
            .forEach(
                (name, n) -> channels.putObject(Tenant.channelName(name)).put("delivered_to", n));
        out.put("total_delivered", delivery.deliveredTo());
      }
    }
    return out;
  }
}
