package dev.switchboard.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Acks;
import dev.switchboard.gateway.GatewayStats;
import dev.switchboard.gateway.Inboxes;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code /stats}, {@code /api/v1/stats}, {@code /api/v1/stats/acks} and {@code /health}
 * answer. Who is connected comes from {@link Presence} (every node), the counters from this node
 * ({@link ApiRoutes.ServerStats}).
 *
 * <pre>
 * GET /stats           connections, users, channels (numbers), uptime_seconds, messages {...},
 *                      connections_total, history, offline_queue, acks, idempotency_keys, sockets
 * GET /api/v1/stats    Ara's shape: connections {total, websocket, sse}, users {connected,
 *                      with_multiple_connections}, channels {active, total_subscriptions},
 *                      messages {sent_today, delivered_today, failed_today, and /stats' messages};
 *                      then the rest of /stats
 * GET /health          {status: healthy|degraded|unhealthy, version, uptime_seconds};
 *                      ?detailed=true adds components and stats
 * </pre>
 */
final class StatsReport {

  private final Presence presence;
  private final Supplier<ApiRoutes.ServerStats> stats;
  private final Supplier<Long> uptimeSeconds;
  private final ClusterView cluster;

  StatsReport(
      Presence presence,
      Supplier<ApiRoutes.ServerStats> stats,
      Supplier<Long> uptimeSeconds,
      ClusterView cluster) {
    this.cluster = cluster;
    this.presence = presence;
    this.stats = stats;
    this.uptimeSeconds = uptimeSeconds;
  }

  /** {@code GET /stats}: our own shape, flat counts first. */
  ObjectNode stats() {
    Presence.Counts counts = presence.counts();
    ApiRoutes.ServerStats s = stats.get();
    ObjectNode out = flat(Json.nodes().objectNode(), counts);
    messages(out.putObject("messages"), s);
    rest(out, s);
    return out;
  }

  /**
   * {@code /stats} ({@code ara} false) or {@code /api/v1/stats} of one tenant: its presence counts
   * and its notifications today, none of the node's own counters.
   */
  ObjectNode tenantStats(Tenant tenant, long sentToday, long deliveredToday, boolean ara) {
    Presence.Counts counts = presence.counts();
    ObjectNode out = Json.nodes().objectNode().put("tenant_id", tenant.id());
    if (ara) {
      out.putObject("connections").put("total", counts.connections());
      araPresence(out, counts);
    } else {
      flat(out, counts);
    }
    out.putObject("messages").put("sent_today", sentToday).put("delivered_today", deliveredToday);
    return out.put("uptime_seconds", uptimeSeconds.get());
  }

  /** Our flat counts and the uptime. */
  private ObjectNode flat(ObjectNode out, Presence.Counts counts) {
    return out.put("connections", counts.connections())
        .put("users", counts.users())
        .put("channels", counts.channels())
        .put("uptime_seconds", uptimeSeconds.get());
  }

  /** Ara's {@code users} and {@code channels}. */
  private static void araPresence(ObjectNode out, Presence.Counts counts) {
    out.putObject("users")
        .put("connected", counts.users())
        .put("with_multiple_connections", counts.usersWithMultipleConnections());
    out.putObject("channels")
        .put("active", counts.channels())
        .put("total_subscriptions", counts.subscriptions());
  }

  /** {@code GET /api/v1/stats}: Ara's nested shape, then what {@code /stats} adds. */
  ObjectNode apiStats() {
    Presence.Counts counts = presence.counts();
    ApiRoutes.ServerStats s = stats.get();
    ObjectNode out = Json.nodes().objectNode();
    out.putObject("connections")
        .put("total", counts.connections())
        .put("websocket", s.webSocketConnections())
        .put("sse", s.sseConnections());
    araPresence(out, counts);
    ObjectNode messages = out.putObject("messages");
    messages
        .put("sent_today", s.today().sent())
        .put("delivered_today", s.today().delivered())
        .put("failed_today", s.today().failed());
    messages(messages, s);
    out.put("uptime_seconds", uptimeSeconds.get());
    rest(out, s);
    return out;
  }

  /** {@code GET /api/v1/stats/acks} of {@code acks}. */
  static ObjectNode ackStats(Acks.Stats acks) {
    return Json.nodes()
        .objectNode()
        .put("pending", acks.pending())
        .put("acknowledged", acks.acknowledged())
        .put("expired", acks.expired())
        .put("average_ack_time_ms", acks.averageAckTimeMs());
  }

  /** The health of this node and how {@code /health} answers it. */
  enum Health {
    /** Serving, and every shared store answers. */
    HEALTHY(200),
    /** Serving, but a shared store does not answer: who is connected cannot be told. */
    DEGRADED(200),
    /** Not serving: shutting down. */
    UNHEALTHY(503);

    final int status;

    Health(int status) {
      this.status = status;
    }

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * {@code GET /health}: {@code {status, version, uptime_seconds}} (and {@code reason} when not
   * healthy); with {@code detailed}, {@code components} and {@code stats} too.
   *
   * @param shuttingDown whether the server drains (then it is unhealthy, without reading anything)
   */
  Answer health(boolean shuttingDown, boolean detailed) {
    Health health = Health.HEALTHY;
    Optional<String> reason = Optional.empty();
    Optional<Presence.Counts> counts = Optional.empty();
    Optional<String> redisProblem = cluster.problem();
    if (shuttingDown) {
      health = Health.UNHEALTHY;
      reason = Optional.of("shutting_down");
    } else if (redisProblem.isPresent()) {
      // Connections, RPC and local reads go on; sends answer 503 until Redis is back.
      health = Health.DEGRADED;
      reason = Optional.of("redis: " + redisProblem.get());
    } else if (detailed) {
      try {
        counts = Optional.of(presence.counts());
      } catch (SharedStateException e) {
        health = Health.DEGRADED;
        reason = Optional.of("presence unavailable: " + e.getMessage());
      }
    }
    ObjectNode out =
        Json.nodes()
            .objectNode()
            .put("status", health.wire())
            .put("version", Version.current())
            .put("uptime_seconds", uptimeSeconds.get());
    reason.ifPresent(r -> out.put("reason", r));
    if (detailed && !shuttingDown) {
      ObjectNode components = out.putObject("components");
      components
          .putObject("presence")
          .put("status", counts.isPresent() ? "healthy" : "unavailable")
          .put("engine", cluster.engine());
      if (cluster.engine().equals("redis")) {
        ObjectNode redis =
            components
                .putObject("redis")
                .put("status", redisProblem.isPresent() ? "unavailable" : "healthy")
                .put("node_id", cluster.nodeId());
        redisProblem.ifPresent(p -> redis.put("error", p));
      }
      if (counts.isEmpty()) {
        return new Answer(health.status, out);
      }
      ApiRoutes.ServerStats s = stats.get();
      components
          .putObject("websocket")
          .put("status", "ready")
          .put("connections", s.webSocketConnections());
      components.putObject("sse").put("status", "ready").put("connections", s.sseConnections());
      components
          .putObject("queue")
          .put("status", "enabled")
          .put("pending_messages", s.delivery().inboxes().entries());
      components
          .putObject("acks")
          .put("status", "enabled")
          .put("pending", s.delivery().acks().pending());
      Presence.Counts c = counts.get();
      out.putObject("stats")
          .put("connections_total", c.connections())
          .put("users_connected", c.users())
          .put("channels_active", c.channels())
          .put("messages_sent_today", s.today().sent());
    }
    return new Answer(health.status, out);
  }

  /** A status and a body. */
  record Answer(int status, ObjectNode body) {}

  private static void messages(ObjectNode messages, ApiRoutes.ServerStats s) {
    GatewayStats g = s.gateway();
    messages.put("notifications_sent", g.notifications());
    ObjectNode byTarget = messages.putObject("by_target");
    g.notificationsByTarget().forEach(byTarget::put);
    messages
        .put("deliveries", g.deliveries())
        .put("refused", g.refused())
        .put("dropped", s.dropped())
        .put("slow_consumers_disconnected", s.slowConsumers());
  }

  /** What both stats answers end with. */
  private static void rest(ObjectNode out, ApiRoutes.ServerStats s) {
    out.putObject("connections_total")
        .put("opened", s.opened())
        .put("refused", s.refusedUpgrades());
    ApiRoutes.DeliveryTotals d = s.delivery();
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
    s.triggers()
        .ifPresent(
            t ->
                out.putObject("triggers")
                    .put("received", t.received())
                    .put("handled", t.handled())
                    .put("malformed", t.malformed())
                    .put("failed", t.failed())
                    .put("dropped", t.dropped())
                    .put("lease_held", t.leaseHeld()));
    ApiRoutes.Sockets k = s.sockets();
    out.putObject("sockets")
        .put("open", k.open())
        .put("max", k.max())
        .put("refused", k.refused())
        .put("evicted", k.evicted())
        .put("timed_out", k.timedOut());
  }

  /** For {@link Map}-free callers: the query says {@code detailed=true}. */
  static boolean detailed(Map<String, String> query) {
    return "true".equalsIgnoreCase(query.getOrDefault("detailed", ""));
  }
}
