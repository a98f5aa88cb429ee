package dev.switchboard.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.ApiKey;
import dev.switchboard.gateway.DeliveryLimits;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test's push server on a free loopback port, its devices and its HTTP client; {@link #close}
 * closes them all.
 *
 * <p>{@link #settle} is how tests prove that a device did <em>not</em> get something without
 * sleeping: it broadcasts a marker and waits until every open device has it. Each device's outbound
 * queue is in order, so whatever was sent before the marker has arrived by then, and {@link
 * PushDevice#takeEvents} is complete.
 */
final class PushFixture implements AutoCloseable {

  /** How long any one wait may take before the test fails. */
  static final Duration WAIT = Duration.ofSeconds(5);

  static final String API_KEY = "push-tests-api-key-0123456789";
  static final String MARKER = "marker-";

  final SwitchboardServer server;
  final PushHttp http;
  private final List<PushDevice> devices = new CopyOnWriteArrayList<>();
  private final AtomicInteger markers = new AtomicInteger();
  private final AtomicInteger anonymous = new AtomicInteger();

  /** Tenants other than the default one that have had a device: {@link #settle} reaches each. */
  private final java.util.Set<String> tenants = new java.util.concurrent.CopyOnWriteArraySet<>();

  private PushFixture(ServerConfig config) {
    this.server = SwitchboardServer.start(config);
    this.http =
        new PushHttp(
            server.port(), config.apiKey().isPresent() ? Optional.of(API_KEY) : Optional.empty());
  }

  /**
   * Production mode on loopback: HS256 tokens as {@link PushTokens} mints them, and {@link
   * #API_KEY}.
   */
  static ServerConfig.Builder production() {
    return ServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .mode(Mode.PRODUCTION)
        .jwt(PushTokens.hs256Config())
        .apiKey(ApiKey.of(API_KEY));
  }

  /** Development mode on loopback: anonymous devices, no API key. */
  static ServerConfig.Builder development() {
    return ServerConfig.builder().host("127.0.0.1").port(0).mode(Mode.DEVELOPMENT);
  }

  /**
   * The default delivery limits but for a channel's history size, an inbox's size and TTL, and the
   * ACK timeout.
   */
  static DeliveryLimits deliveryLimits(
      int historySize, int queueSize, Duration queueTtl, Duration ackTimeout) {
    DeliveryLimits d = DeliveryLimits.DEFAULTS;
    return new DeliveryLimits(
        historySize,
        d.historyTtl(),
        d.historyMaxChannels(),
        queueSize,
        queueTtl,
        d.queueMaxUsers(),
        ackTimeout,
        d.acksMaxPending(),
        d.idempotencyTtl(),
        d.idempotencyMaxKeys());
  }

  static PushFixture start(ServerConfig.Builder config) {
    return new PushFixture(config.build());
  }

  /** {@code /ws} with {@code query} (may be empty). */
  URI ws(String query) {
    return URI.create(server.webSocketUri() + (query.isEmpty() ? "" : "?" + query));
  }

  /**
   * A device of {@code user}, its token in {@code ?token=}. Named {@code user/n} in failure
   * messages.
   */
  PushDevice device(String user) {
    return track(
        PushDevice.connect(
            user + "/" + devices.size(), ws("token=" + PushTokens.valid(user)), Map.of()));
  }

  /**
   * A device of {@code user} whose {@code /ws} query carries {@code query} after its token ({@code
   * ack=1}, say).
   */
  PushDevice device(String user, String query) {
    return track(
        PushDevice.connect(
            user + "/" + devices.size(),
            ws("token=" + PushTokens.valid(user) + "&" + query),
            Map.of()));
  }

  /** A device of {@code user} of {@code tenant} (its token's {@code tenant_id}). */
  PushDevice tenantDevice(String tenant, String user) {
    tenants.add(tenant);
    return track(
        PushDevice.connect(
            tenant + ":" + user + "/" + devices.size(),
            ws("token=" + PushTokens.valid(user, tenant)),
            Map.of()));
  }

  /** A device connecting with {@code Authorization: Bearer token}. */
  PushDevice bearerDevice(String name, String token) {
    return track(PushDevice.connect(name, ws(""), Map.of("Authorization", "Bearer " + token)));
  }

  /** A device without a token (development mode). */
  PushDevice anonymousDevice() {
    return track(PushDevice.connect("anonymous/" + anonymous.incrementAndGet(), ws(""), Map.of()));
  }

  /**
   * The status with which an upgrade to {@code /ws?query} with {@code headers} is refused, read off
   * the wire; fails the test when it is accepted.
   */
  int refusal(String query, Map<String, String> headers) {
    int status = http.upgradeStatus("/ws" + (query.isEmpty() ? "" : "?" + query), headers);
    if (status == 101) {
      throw new AssertionError(
          "the upgrade to /ws?" + query + " with " + headers.keySet() + " was accepted");
    }
    return status;
  }

  /**
   * Tracks {@code device} once the server can find it: the upgrade's 101 may reach the device
   * before the server has registered it, and a round trip on the connection waits that out.
   */
  private PushDevice track(PushDevice device) {
    devices.add(device);
    device.awaitReady();
    return device;
  }

  /** {@code POST /api/v1/notifications/<action>} expecting 200. */
  JsonNode notify(String action, String singleQuotedJson) {
    return http.ok("/api/v1/notifications/" + action, PushHttp.json(singleQuotedJson));
  }

  /** {@code send} of an empty payload to {@code user}: the answer. */
  JsonNode sendTo(String user, String eventType) {
    return notify(
        "send", "{'target_user_id':'" + user + "','event_type':'" + eventType + "','payload':{}}");
  }

  /** {@code channel} of an empty payload to {@code channel}: the answer. */
  JsonNode sendToChannel(String channel, String eventType) {
    return notify(
        "channel", "{'channel':'" + channel + "','event_type':'" + eventType + "','payload':{}}");
  }

  /**
   * Sends notifications {@code prefix + from} .. {@code prefix + (from + count - 1)} to {@code
   * target} (a batch item's, single-quoted: {@code {'type':'user','value':'dave'}}), in order, up
   * to 100 per batch request; returns their event types.
   */
  List<String> sendInBatches(String target, String prefix, int from, int count) {
    List<String> sent = new ArrayList<>();
    for (int start = from; start < from + count; start += 100) {
      List<String> items = new ArrayList<>();
      for (int i = start; i < Math.min(start + 100, from + count); i++) {
        items.add("{'target':" + target + ",'event_type':'" + prefix + i + "','payload':{}}");
        sent.add(prefix + i);
      }
      JsonNode answer = notify("batch", "{'notifications':[" + String.join(",", items) + "]}");
      if (answer.get("successful").asInt() != items.size()) {
        throw new AssertionError("a batch to " + target + " answered " + answer);
      }
    }
    return sent;
  }

  /** Broadcasts a marker and waits until every open device has it (see the class comment). */
  void settle() {
    String marker = MARKER + markers.incrementAndGet();
    String body = PushHttp.json("{'event_type':'" + marker + "','payload':null}");
    http.ok("/api/v1/notifications/broadcast", body);
    // A broadcast reaches one tenant's devices: one for each tenant.
    tenants.forEach(
        tenant -> {
          PushHttp.Response answer =
              http.post("/api/v1/notifications/broadcast", body, "X-Tenant-ID", tenant);
          if (answer.status() != 200) {
            throw new AssertionError("a broadcast to tenant " + tenant + " answered " + answer);
          }
        });
    devices.stream().filter(PushDevice::isOpen).forEach(device -> device.awaitEvent(marker));
  }

  JsonNode stats() {
    return http.ok("/stats");
  }

  /** {@code GET /api/v1/stats/acks}. */
  JsonNode ackStats() {
    return http.ok("/api/v1/stats/acks");
  }

  /**
   * Waits until the registry's connection count is {@code expected} (a closed device leaves it
   * asynchronously).
   */
  void awaitConnections(int expected) {
    await("connections to become " + expected)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> server.registry().connectionCount() == expected);
  }

  @Override
  public void close() {
    try {
      devices.forEach(PushDevice::close);
    } finally {
      server.close();
    }
  }
}
