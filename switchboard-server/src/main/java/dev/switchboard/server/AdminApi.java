package dev.switchboard.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.ChannelHistory;
import dev.switchboard.gateway.Names;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.Replay;
import dev.switchboard.gateway.StreamEntry;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the admin page reads and does, as JSON: an overview of the node (its {@code /stats}, its
 * tenants, channels, users and devices, the {@link RecentEvents}), a test send to a channel, a
 * channel's history, a device disconnected. Each answer is built from what the HTTP API already
 * answers ({@code read} of {@code /stats} and {@code /api/v1/tenants}), the presence, the open
 * sessions and the delivery store, never counted twice. Calls may block (presence, store): run them
 * on a virtual thread. Thread-safe.
 */
final class AdminApi {

  /** Close code of a device an operator disconnected (private-use range of RFC 6455). */
  static final int DISCONNECTED = 4009;

  static final String DISCONNECTED_REASON = "disconnected by an operator";

  /** Most history entries one read returns. */
  static final int MAX_HISTORY = 100;

  private final Function<String, JsonNode> read;
  private final Presence presence;
  private final Supplier<List<Session>> devices;
  private final RecentEvents recent;
  private final NotificationApi notifications;
  private final ChannelHistory history;
  private final Clock clock;

  /**
   * @param read the HTTP API's answer to a GET of a path, as the server's own API key sees it
   * @param devices this node's devices now
   */
  AdminApi(
      Function<String, JsonNode> read,
      Presence presence,
      Supplier<List<Session>> devices,
      RecentEvents recent,
      NotificationApi notifications,
      ChannelHistory history,
      Clock clock) {
    this.read = read;
    this.presence = presence;
    this.devices = devices;
    this.recent = recent;
    this.notifications = notifications;
    this.history = history;
    this.clock = clock;
  }

  /**
   * {@code GET /admin/api/overview}: {@code stats} ({@code /stats}), {@code tenants} ({@code
   * /api/v1/tenants}), {@code channels} [{tenant, name, subscribers}], {@code users} [{tenant,
   * user_id, devices}] and {@code devices} [{id, user_id, tenant, transport, remote, connected_at}]
   * of this node, {@code events} [{at, kind, subject, detail}] newest first.
   */
  ObjectNode overview() {
    ObjectNode out = Json.nodes().objectNode();
    out.set("stats", read.apply("/stats"));
    JsonNode tenants = read.apply("/api/v1/tenants").path("tenants");
    out.set("tenants", tenants);
    ArrayNode channels = out.putArray("channels");
    for (JsonNode t : tenants) {
      String tenant = t.path("tenant_id").asText();
      presence
          .in(new Tenant(tenant))
          .channels()
          .forEach(
              (name, n) ->
                  channels
                      .addObject()
                      .put("tenant", tenant)
                      .put("name", name)
                      .put("subscribers", n));
    }
    List<Session> open = devices.get();
    Map<String, Integer> users = new TreeMap<>();
    ArrayNode list = out.putArray("devices");
    for (Session s : open) {
      String tenant = Tenant.ofUser(s.userId()).id();
      String user = s.identity().userId();
      users.merge(tenant + "\u0000" + user, 1, Integer::sum);
      list.addObject()
          .put("id", s.id())
          .put("user_id", user)
          .put("tenant", tenant)
          .put("transport", s.sink().transport())
          .put("remote", s.sink().remote())
          .put("connected_at", s.connectedAt().toString());
    }
    ArrayNode userList = out.putArray("users");
    users.forEach(
        (key, n) -> {
          String[] parts = key.split("\u0000", 2);
          userList.addObject().put("tenant", parts[0]).put("user_id", parts[1]).put("devices", n);
        });
    ArrayNode events = out.putArray("events");
    for (RecentEvents.Event e : recent.newestFirst()) {
      events
          .addObject()
          .put("at", e.at().toString())
          .put("kind", e.kind().wire())
          .put("subject", e.subject())
          .put("detail", e.detail());
    }
    return out;
  }

  /**
   * {@code POST /admin/api/send}: {@code {channel, event_type, payload, tenant?}}, sent as {@code
   * POST /api/v1/notifications/channel} sends it (same checks, same answer).
   */
  JsonNode send(JsonNode body) {
    NotificationRequest.object(body);
    Tenant tenant = tenant(Optional.ofNullable(body.get("tenant")).map(JsonNode::asText));
    ObjectNode request = body.deepCopy();
    request.remove("tenant");
    return notifications.handle("channel", request, Optional.empty(), tenant);
  }

  /**
   * {@code GET /admin/api/history?channel=&tenant=}: {@code {channel, tenant, epoch, offset,
   * entries: [{offset, notification_id, expires_at, message}]}}, the last {@link #MAX_HISTORY}
   * notifications the channel keeps for recovery, oldest first.
   */
  JsonNode history(Map<String, String> query) {
    String channel = query.getOrDefault("channel", "");
    if (!Names.isChannel(channel)) {
      throw ApiException.badRequest("channel: \"" + channel + "\" is not a channel name");
    }
    Tenant tenant = tenant(Optional.ofNullable(query.get("tenant")));
    String key = tenant.channel(channel);
    Instant now = clock.instant();
    Position top = history.position(key, now);
    Replay replay = kept(key, top, now);
    ObjectNode out =
        Json.nodes()
            .objectNode()
            .put("channel", channel)
            .put("tenant", tenant.id())
            .put("epoch", replay.top().epoch())
            .put("offset", replay.top().offset());
    ArrayNode entries = out.putArray("entries");
    for (StreamEntry e : replay.entries()) {
      ObjectNode entry =
          entries
              .addObject()
              .put("offset", e.offset())
              .put("notification_id", e.notificationId().toString())
              .put("expires_at", e.expiresAt().toString());
      entry.set("message", message(e.message()));
    }
    return out;
  }

  /**
   * The last entries still kept: {@link ChannelHistory#since} recovers from an offset only when
   * nothing after it was forgotten, so the oldest offset it recovers from is searched (recovery is
   * monotonic: a later offset recovers when an earlier one does).
   */
  private Replay kept(String key, Position top, Instant now) {
    long low = Math.max(0, top.offset() - MAX_HISTORY);
    long high = top.offset();
    Replay best = history.since(key, high, top.epoch(), now);
    while (low <= high) {
      long mid = (low + high) >>> 1;
      Replay replay = history.since(key, mid, top.epoch(), now);
      if (replay.recovered()) {
        best = replay;
        high = mid - 1;
      } else {
        low = mid + 1;
      }
    }
    return best;
  }

  /** A kept message as JSON (a JSON-RPC notification), or as text when it is not JSON. */
  private static JsonNode message(byte[] bytes) {
    try {
      return Json.mapper().readTree(bytes);
    } catch (JacksonException e) {
      return Json.nodes().textNode(new String(bytes, StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      return Json.nodes().textNode("(" + bytes.length + " bytes)");
    }
  }

  /**
   * {@code POST /admin/api/devices/{id}/disconnect}: closes this node's device {@code id} with
   * {@link #DISCONNECTED}.
   *
   * @throws ApiException 404 when no device has that id
   */
  JsonNode disconnect(String id) {
    Session session =
        devices.get().stream()
            .filter(s -> s.id().equals(id))
            .findFirst()
            .orElseThrow(() -> ApiException.notFound("no device \"" + id + "\" on this node"));
    session.close(DISCONNECTED, DISCONNECTED_REASON);
    return Json.nodes()
        .objectNode()
        .put("id", id)
        .put("closed", true)
        .put("code", DISCONNECTED)
        .put("reason", DISCONNECTED_REASON);
  }

  private static Tenant tenant(Optional<String> id) {
    String value = id.filter(s -> !s.isBlank()).orElse(Tenant.DEFAULT.id());
    if (!Tenant.isId(value)) {
      throw ApiException.badRequest(
          "tenant: \"" + value + "\" is not a tenant id (1-64 [A-Za-z0-9_-])");
    }
    return new Tenant(value);
  }
}
