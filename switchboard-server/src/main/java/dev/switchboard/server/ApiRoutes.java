package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Acks;
import dev.switchboard.gateway.ChannelHistory;
import dev.switchboard.gateway.GatewayStats;
import dev.switchboard.gateway.Inboxes;
import dev.switchboard.gateway.Names;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.jsonrpc.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * What each path answers, once the request is authorized and its body parsed:
 *
 * <pre>
 * GET  /health                                {status, version, uptime_seconds}
 * GET  /stats                                 connections, users, channels, message counters,
 *                                             history, offline queue, ACKs, idempotency keys
 * GET  /api/v1/stats/acks                     {pending, acknowledged, expired, average_ack_time_ms}
 * GET  /api/v1/channels                       {channels: [{name, subscribers}], total}
 * GET  /api/v1/channels/{name}                {name, subscribers}, 404 when nobody is subscribed
 * GET  /api/v1/users/{user_id}/subscriptions  {user_id, channels, connections}, 404 when not connected
 * POST /api/v1/notifications/{send, send-to-users, broadcast, channel, channels}   see NotificationApi
 * POST /api/v1/notifications/batch            see BatchApi
 * </pre>
 *
 * <p>Who is connected comes from {@link Presence} (every node's devices, with a shared engine), the
 * counters of {@code /stats} from this node. A presence that cannot be read makes it 503 {@code
 * unavailable}.
 */
final class ApiRoutes {

  private static final String NOTIFICATIONS = "/api/v1/notifications/";

  private final Presence presence;
  private final NotificationApi notifications;
  private final BatchApi batch;
  private final Supplier<ServerStats> stats;
  private final Supplier<Long> uptimeSeconds;

  ApiRoutes(
      Presence presence,
      NotificationApi notifications,
      BatchApi batch,
      Supplier<ServerStats> stats,
      Supplier<Long> uptimeSeconds) {
    this.presence = presence;
    this.notifications = notifications;
    this.batch = batch;
    this.stats = stats;
    this.uptimeSeconds = uptimeSeconds;
  }

  /**
   * {@code {status, version, uptime_seconds}}: "ok", or "shutting_down" (answered 503) while the
   * server drains.
   */
  JsonNode health(String status) {
    return Json.nodes()
        .objectNode()
        .put("status", status)
        .put("version", Version.current())
        .put("uptime_seconds", uptimeSeconds.get());
  }

  /**
   * Answers a GET of {@code match}, with the query's parameters {@code query}.
   *
   * @throws ApiException 404 when {@code match} takes POST, or names nothing; 503 {@code
   *     unavailable} when presence cannot be read
   */
  JsonNode get(Endpoint.Match match, Map<String, String> query) {
    try {
      return read(match, query);
    } catch (SharedStateException e) {
      throw new ApiException(
          503,
          "unavailable",
          "who is connected cannot be told now: " + e.getMessage(),
          Optional.empty());
    }
  }

  private JsonNode read(Endpoint.Match match, Map<String, String> query) {
    return switch (match.endpoint()) {
      case HEALTH -> health("ok");
      case STATS -> stats();
      case ACK_STATS -> ackStats();
      case CHANNELS -> channels();
      case CHANNEL -> channel(decode(match.params().get(0)));
      case USER_SUBSCRIPTIONS -> subscriptions(decode(match.params().get(0)));
      case WEBSOCKET ->
          throw ApiException.badRequest(
              "/ws is the WebSocket endpoint: a GET of it must ask to upgrade (Upgrade: websocket)");
      case API_STATS,
          CLUSTER_STATUS,
          CLUSTER_USER,
          SEND,
          SEND_TO_USERS,
          BROADCAST,
          SEND_TO_CHANNEL,
          SEND_TO_CHANNELS,
          BATCH,
          SSE,
          SSE_ACK ->
          throw ApiException.notFound("no such endpoint: GET " + match.endpoint().template());
    };
  }

  private JsonNode ackStats() {
    Acks.Stats acks = stats.get().delivery().acks();
    return Json.nodes()
        .objectNode()
        .put("pending", acks.pending())
        .put("acknowledged", acks.acknowledged())
        .put("expired", acks.expired())
        .put("average_ack_time_ms", acks.averageAckTimeMs());
  }

  private JsonNode channels() {
    ObjectNode out = Json.nodes().objectNode();
    ArrayNode list = out.putArray("channels");
    presence
        .channels()
        .forEach((name, n) -> list.addObject().put("name", name).put("subscribers", n));
    return out.put("total", list.size());
  }

  private JsonNode channel(String name) {
    OptionalInt subscribers =
        Names.isChannel(name) ? presence.subscribers(name) : OptionalInt.empty();
    if (subscribers.isEmpty()) {
      throw ApiException.notFound("no channel named \"" + name + "\" has subscribers");
    }
    return Json.nodes().objectNode().put("name", name).put("subscribers", subscribers.getAsInt());
  }

  private JsonNode subscriptions(String user) {
    Presence.User present =
        presence
            .user(user)
            .orElseThrow(() -> ApiException.notFound("user \"" + user + "\" is not connected"));
    ObjectNode out = Json.nodes().objectNode().put("user_id", user);
    ArrayNode list = out.putArray("channels");
    present.channels().forEach(list::add);
    return out.put("connections", present.connections());
  }

  /**
   * Answers a POST of {@code match}.
   *
   * @param idempotencyKey the request's {@code Idempotency-Key} header
   */
  JsonNode post(Endpoint.Match match, JsonNode body, Optional<String> idempotencyKey) {
    Endpoint endpoint = match.endpoint();
    if (endpoint == Endpoint.BATCH) {
      return batch.handle(body, idempotencyKey);
    }
    return notifications.handle(
        endpoint.template().substring(NOTIFICATIONS.length()), body, idempotencyKey);
  }

  private ObjectNode stats() {
    Presence.Counts counts = presence.counts();
    ServerStats s = stats.get();
    GatewayStats g = s.gateway();
    ObjectNode out = Json.nodes().objectNode();
    out.put("connections", counts.connections())
        .put("users", counts.users())
        .put("channels", counts.channels())
        .put("uptime_seconds", uptimeSeconds.get());
    ObjectNode messages = out.putObject("messages");
    messages.put("notifications_sent", g.notifications());
    ObjectNode byTarget = messages.putObject("by_target");
    g.notificationsByTarget().forEach(byTarget::put);
    messages
        .put("deliveries", g.deliveries())
        .put("refused", g.refused())
        .put("dropped", s.dropped())
        .put("slow_consumers_disconnected", s.slowConsumers());
    ObjectNode connections = out.putObject("connections_total");
    connections.put("opened", s.opened()).put("refused", s.refusedUpgrades());
    DeliveryTotals d = s.delivery();
    out.putObject("history")
        .put("channels", d.history().streams())
        .put("notifications", d.history().entries())
        .put("channels_evicted", d.history().evicted());
    Inboxes.Totals q = d.inboxes();
    out.putObject("offline_queue")
        .put("users", q.users())
        .put("notifications", q.entries())
        .put("queued", q.queued())
        .put("awaiting_ack", q.awaitingAck())
        .put("expired", q.expired())
        .put("dropped", q.dropped());
    Acks.Stats a = d.acks();
    out.putObject("acks")
        .put("pending", a.pending())
        .put("acknowledged", a.acknowledged())
        .put("expired", a.expired())
        .put("average_ack_time_ms", a.averageAckTimeMs())
        .put("untracked", a.untracked());
    out.put("idempotency_keys", d.idempotencyKeys());
    Sockets k = s.sockets();
    out.putObject("sockets")
        .put("open", k.open())
        .put("max", k.max())
        .put("refused", k.refused())
        .put("evicted", k.evicted())
        .put("timed_out", k.timedOut());
    return out;
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "the path segment " + segment + " is not valid URL encoding: " + e.getMessage());
    }
  }

  /** Counters the server keeps beside the gateway's. */
  record ServerStats(
      GatewayStats gateway,
      long dropped,
      long slowConsumers,
      long opened,
      long refusedUpgrades,
      Sockets sockets,
      DeliveryTotals delivery) {}

  /** What the delivery store keeps now ({@link dev.switchboard.gateway.DeliveryStore}). */
  record DeliveryTotals(
      ChannelHistory.Totals history,
      Inboxes.Totals inboxes,
      Acks.Stats acks,
      long idempotencyKeys) {}

  /**
   * TCP connections ({@link Connections}): open now, the cap, refused at the cap, idle ones closed
   * to make room at the cap, closed by a timeout.
   */
  record Sockets(int open, int max, long refused, long evicted, long timedOut) {}
}
