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
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What each {@link Endpoint} answers, once the request is authorized and its body parsed:
 *
 * <pre>
 * GET  /health, /stats, /api/v1/stats, /api/v1/stats/acks   see StatsReport
 * GET  /api/v1/channels                       {channels: [{name, subscribers}], total}
 * GET  /api/v1/channels/{name}                {name, subscribers, created_at}, 404 when nobody is
 *                                             subscribed
 * GET  /api/v1/users/{user_id}/subscriptions  {user_id, subscriptions, channels (the same),
 *                                             connections}, 404 when not connected
 * GET  /api/v1/cluster/status, /api/v1/cluster/users/{user_id}   see ClusterApi
 * POST /api/v1/notifications/{send, send-to-users, broadcast, channel, channels}   see NotificationApi
 * POST /api/v1/notifications/batch            see BatchApi
 * </pre>
 *
 * <p>Who is connected comes from {@link Presence} (every node's devices, with a shared engine), the
 * counters from this node. A presence that cannot be read makes it 503 {@code UNAVAILABLE}. The
 * cluster endpoints read the live nodes ({@link ClusterView}): with the in-memory engine this node
 * alone is the cluster.
 */
final class ApiRoutes {

  private static final String NOTIFICATIONS = "/api/v1/notifications/";

  private final Presence presence;
  private final NotificationApi notifications;
  private final BatchApi batch;
  private final TemplatesApi templates;
  private final StatsReport stats;
  private final Supplier<ServerStats> serverStats;
  private final Supplier<Long> uptimeSeconds;

  /** The ids of the tenants the configuration names. */
  private final Set<String> known;

  private final Function<Tenant, Acks.Stats> tenantAcks;

  /** {@code GET /api/v1/webtransport}'s answer, once WebTransport listens. */
  private final Supplier<Optional<JsonNode>> webTransport;

  /** The nodes of the cluster, for {@code /api/v1/cluster/*}. */
  private final ClusterView cluster;

  ApiRoutes(
      Presence presence,
      NotificationApi notifications,
      BatchApi batch,
      TemplatesApi templates,
      Supplier<ServerStats> stats,
      Supplier<Long> uptimeSeconds) {
    this(
        presence,
        notifications,
        batch,
        templates,
        stats,
        uptimeSeconds,
        Set.of(),
        tenant -> stats.get().delivery().acks(),
        ClusterView.singleNode(
            "switchboard-" + UUID.randomUUID().toString().substring(0, 8),
            presence,
            java.time.Clock.systemUTC()));
  }

  /**
   * @param known the ids of the tenants the configuration names: {@code /api/v1/tenants} lists them
   *     even when idle
   * @param tenantAcks a tenant's ACK statistics, for {@code /api/v1/stats/acks} (the default
   *     tenant's too: a tenant never counts another's deliveries)
   * @param cluster the nodes, for the cluster endpoints and the health of the shared engine
   */
  ApiRoutes(
      Presence presence,
      NotificationApi notifications,
      BatchApi batch,
      TemplatesApi templates,
      Supplier<ServerStats> stats,
      Supplier<Long> uptimeSeconds,
      Set<String> known,
      Function<Tenant, Acks.Stats> tenantAcks,
      ClusterView cluster) {
    this(
        presence,
        notifications,
        batch,
        templates,
        stats,
        uptimeSeconds,
        known,
        tenantAcks,
        cluster,
        Optional::empty);
  }

  /**
   * @param webTransport {@code GET /api/v1/webtransport}'s answer; empty: WebTransport is off (404)
   */
  ApiRoutes(
      Presence presence,
      NotificationApi notifications,
      BatchApi batch,
      TemplatesApi templates,
      Supplier<ServerStats> stats,
      Supplier<Long> uptimeSeconds,
      Set<String> known,
      Function<Tenant, Acks.Stats> tenantAcks,
      ClusterView cluster,
      Supplier<Optional<JsonNode>> webTransport) {
    this.webTransport = webTransport;
    this.cluster = cluster;
    this.presence = presence;
    this.notifications = notifications;
    this.batch = batch;
    this.templates = templates;
    this.stats = new StatsReport(presence, stats, uptimeSeconds, cluster);
    this.serverStats = stats;
    this.uptimeSeconds = uptimeSeconds;
    this.known = Set.copyOf(known);
    this.tenantAcks = tenantAcks;
  }

  /**
   * {@code /health}'s answer: see {@link StatsReport#health}.
   *
   * @param query the request's query parameters ({@code detailed=true})
   */
  StatsReport.Answer health(boolean shuttingDown, Map<String, String> query) {
    return stats.health(shuttingDown, StatsReport.detailed(query));
  }

  /**
   * Answers {@code method} on {@code match} (a method the endpoint takes, or HEAD for GET).
   *
   * @param query the query's parameters
   * @param body the parsed body of a POST or PUT
   * @param idempotencyKey the request's {@code Idempotency-Key} header
   * @param tenant the tenant the request addresses ({@code X-Tenant-ID})
   */
  ApiAnswer answer(
      Endpoint.Match match,
      HttpMethod method,
      Map<String, String> query,
      Optional<JsonNode> body,
      Optional<String> idempotencyKey,
      Tenant tenant,
      Optional<Tenant> boundTo) {
    Endpoint endpoint = match.endpoint();
    if (endpoint == Endpoint.TEMPLATES || endpoint == Endpoint.TEMPLATE) {
      Optional<String> id = match.params().stream().findFirst().map(ApiRoutes::decode);
      String verb = method == HttpMethod.HEAD ? "GET" : method.name();
      return templates.handle(verb, id, body, tenant);
    }
    if (Endpoint.hasBody(method)) {
      return ApiAnswer.ok(
          post(
              match,
              body.orElseThrow(() -> ApiException.badRequest("the request has no body")),
              idempotencyKey,
              tenant));
    }
    return ApiAnswer.ok(get(match, query, tenant, boundTo));
  }

  /**
   * Answers a GET of {@code match}, with the query's parameters {@code query}.
   *
   * @throws ApiException 404 when {@code match} takes POST, or names nothing; 503 {@code
   *     unavailable} when presence cannot be read
   */
  JsonNode get(
      Endpoint.Match match, Map<String, String> query, Tenant tenant, Optional<Tenant> boundTo) {
    try {
      return new TenantReads(presence.in(tenant), tenant).read(match, query, boundTo);
    } catch (SharedStateException e) {
      throw new ApiException(
          503,
          "UNAVAILABLE",
          "who is connected cannot be told now: " + e.getMessage(),
          Optional.empty());
    }
  }

  /** The reads of one tenant: its presence alone, its names in and out. */
  private final class TenantReads {
    private final Presence presence;
    private final Tenant tenant;

    TenantReads(Presence presence, Tenant tenant) {
      this.presence = presence;
      this.tenant = tenant;
    }

    /**
     * {@code /stats} ({@code ara} false) or {@code /api/v1/stats} of a tenant other than the
     * default one: its counts and its sends today, none of the node's counters (which count every
     * tenant).
     */
    private JsonNode tenantStats(Tenant tenant, boolean ara) {
      return stats()
          .tenantStats(
              tenant,
              notifications.sentToday().today(tenant),
              notifications.sentToday().deliveredToday(tenant),
              ara);
    }

    private StatsReport stats() {
      return new StatsReport(presence, serverStats, uptimeSeconds, cluster);
    }

    /** The default tenant asked with a key bound to no tenant: the node's whole view. */
    private boolean operator(Optional<Tenant> boundTo) {
      return tenant.isDefault() && boundTo.isEmpty();
    }

    private JsonNode read(
        Endpoint.Match match, Map<String, String> query, Optional<Tenant> boundTo) {
      return switch (match.endpoint()) {
        case HEALTH -> ApiRoutes.this.health(false, query).body();
        // The node's whole counters are the operator's: the server's own api_key, unbound.
        case STATS -> operator(boundTo) ? stats().stats() : tenantStats(tenant, false);
        case API_STATS -> operator(boundTo) ? stats().apiStats() : tenantStats(tenant, true);
        case ACK_STATS -> StatsReport.ackStats(tenantAcks.apply(tenant));
        case CLUSTER_STATUS -> ClusterApi.status(cluster, presence, tenant);
        case CLUSTER_USER ->
            ClusterApi.user(cluster, presence, tenant, decode(match.params().get(0)));
        case WEBTRANSPORT ->
            webTransport
                .get()
                .orElseThrow(
                    () ->
                        new ApiException(
                            404,
                            "NOT_FOUND",
                            "WebTransport is off on this server (webtransport.port)",
                            Optional.empty()));
        case TENANTS -> tenants(boundTo);
        case TENANT -> tenant(decode(match.params().get(0)), boundTo);
        case CHANNELS -> channels();
        case CHANNEL -> channel(decode(match.params().get(0)));
        case USER_SUBSCRIPTIONS -> subscriptions(decode(match.params().get(0)));
        case WEBSOCKET ->
            throw ApiException.badRequest(
                "/ws is the WebSocket endpoint: a GET of it must ask to upgrade (Upgrade: websocket)");
        case SEND,
            SEND_TO_USERS,
            BROADCAST,
            SEND_TO_CHANNEL,
            SEND_TO_CHANNELS,
            BATCH,
            SSE,
            SSE_ACK,
            METRICS,
            TEMPLATES,
            TEMPLATE ->
            throw ApiException.notFound("no such endpoint: GET " + match.endpoint().template());
      };
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
      Presence.Channel channel =
          (Names.isChannel(name) ? presence.channel(name) : Optional.<Presence.Channel>empty())
              .orElseThrow(
                  () -> ApiException.notFound("no channel named \"" + name + "\" has subscribers"));
      return Json.nodes()
          .objectNode()
          .put("name", name)
          .put("subscribers", channel.subscribers())
          .put("created_at", channel.createdAt().toString());
    }

    private JsonNode subscriptions(String user) {
      Presence.User present =
          presence
              .user(user)
              .orElseThrow(() -> ApiException.notFound("user \"" + user + "\" is not connected"));
      ObjectNode out = Json.nodes().objectNode().put("user_id", user);
      // Ara's name, and ours from before it.
      present.channels().forEach(out.putArray("subscriptions")::add);
      present.channels().forEach(out.putArray("channels")::add);
      return out.put("connections", present.connections());
    }
  }

  /**
   * {@code GET /api/v1/tenants}: every tenant this node knows (the default one, the configured
   * ones, those with connections, those that sent today), each as {@link #tenantCounts}; an API key
   * bound to a tenant sees that one alone.
   */
  private JsonNode tenants(Optional<Tenant> boundTo) {
    SortedSet<String> ids = new TreeSet<>(known);
    ids.add(Tenant.DEFAULT.id());
    ids.addAll(presence.tenants());
    ids.addAll(notifications.sentToday().tenants());
    boundTo.ifPresent(bound -> ids.retainAll(Set.of(bound.id())));
    boundTo.ifPresent(bound -> ids.add(bound.id()));
    ObjectNode out = Json.nodes().objectNode();
    ArrayNode list = out.putArray("tenants");
    ids.forEach(id -> list.add(tenantCounts(new Tenant(id))));
    return out.put("total", list.size());
  }

  /**
   * {@code GET /api/v1/tenants/{id}}: 404 for a tenant this node does not know, 403 for another
   * than the one the API key is bound to.
   */
  private JsonNode tenant(String id, Optional<Tenant> boundTo) {
    if (boundTo.isPresent() && !boundTo.get().id().equals(id)) {
      throw ApiException.forbidden(
          "this API key is bound to tenant "
              + boundTo.get().id()
              + "; it cannot read tenant "
              + id);
    }
    if (!Tenant.isId(id)) {
      throw ApiException.notFound("no tenant \"" + id + "\": a tenant id is 1-64 of [A-Za-z0-9_-]");
    }
    Tenant tenant = new Tenant(id);
    boolean isKnown =
        tenant.isDefault()
            || known.contains(id)
            || presence.tenants().contains(id)
            || notifications.sentToday().today(tenant) > 0;
    if (!isKnown) {
      throw ApiException.notFound(
          "no tenant \""
              + id
              + "\": it is not configured, has no connection and sent nothing today");
    }
    return tenantCounts(tenant);
  }

  /** One tenant: {@code tenant_id, connections, users, channels, messages_today}. */
  private ObjectNode tenantCounts(Tenant tenant) {
    Presence.Counts counts = presence.counts(tenant);
    return Json.nodes()
        .objectNode()
        .put("tenant_id", tenant.id())
        .put("connections", counts.connections())
        .put("users", counts.users())
        .put("channels", counts.channels())
        .put("messages_today", notifications.sentToday().today(tenant));
  }

  /**
   * Answers a POST of {@code match}.
   *
   * @param idempotencyKey the request's {@code Idempotency-Key} header
   */
  JsonNode post(
      Endpoint.Match match, JsonNode body, Optional<String> idempotencyKey, Tenant tenant) {
    Endpoint endpoint = match.endpoint();
    if (endpoint == Endpoint.BATCH) {
      return batch.handle(body, idempotencyKey, tenant);
    }
    return notifications.handle(
        endpoint.template().substring(NOTIFICATIONS.length()), body, idempotencyKey, tenant);
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "the path segment " + segment + " is not valid URL encoding: " + e.getMessage());
    }
  }

  /**
   * Counters the server keeps beside the gateway's.
   *
   * @param webSocketConnections this node's WebSocket sessions now
   * @param sseConnections this node's SSE streams now
   * @param today notifications sent, delivered and failed today (UTC), on this node
   */
  record ServerStats(
      GatewayStats gateway,
      long dropped,
      long slowConsumers,
      long opened,
      long refusedUpgrades,
      Sockets sockets,
      DeliveryTotals delivery,
      int webSocketConnections,
      int sseConnections,
      DailyCounts.Counts today,
      Optional<dev.switchboard.redis.TriggerStats> triggers) {}

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
