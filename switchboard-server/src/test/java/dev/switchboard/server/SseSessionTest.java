package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.RegistryLimits;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An SSE stream is a session like any other: counted in {@code /stats} and presence as a WebSocket
 * is, under the same connection limits, told of a shutdown, and ended when its token expires.
 * Production mode, real sockets.
 */
class SseSessionTest {

  private SseFixture sse;
  private final List<PushDevice> devices = new ArrayList<>();

  private SseFixture start(ServerConfig.Builder config) {
    sse = SseFixture.start(config);
    return sse;
  }

  @AfterEach
  void close() {
    try {
      devices.forEach(PushDevice::close);
    } finally {
      sse.close();
    }
  }

  /** A WebSocket device of {@code user}, ready. */
  private PushDevice webSocket(String user) {
    URI uri = URI.create(sse.server.webSocketUri() + "?token=" + PushTokens.valid(user));
    PushDevice device = PushDevice.connect(user + "/ws" + devices.size(), uri, Map.of());
    devices.add(device);
    device.awaitReady();
    return device;
  }

  private int webSocketRefusal(String user) {
    return sse.http.upgradeStatus("/ws?token=" + PushTokens.valid(user), Map.of());
  }

  @Test
  void aStreamCountsInStatsAndPresenceAsAWebSocketDoes() {
    start(PushFixture.production());
    PushDevice aliceWs = webSocket("alice");
    aliceWs.subscribe("orders");
    sse.stream("alice", "channels=orders");
    SseStream bob = sse.stream("bob", "channels=orders,news");

    JsonNode stats = sse.stats();
    assertThat(stats.get("connections").asInt()).isEqualTo(3);
    assertThat(stats.get("users").asInt()).isEqualTo(2);
    assertThat(stats.get("channels").asInt()).isEqualTo(2);
    assertThat(stats.get("connections_total").get("opened").asLong()).isEqualTo(3);
    JsonNode bobs = sse.http.ok("/api/v1/users/bob/subscriptions");
    assertThat(PushDevice.texts(bobs.get("channels"))).containsExactlyInAnyOrder("orders", "news");
    assertThat(bobs.get("connections").asInt()).isEqualTo(1);
    assertThat(sse.http.ok("/api/v1/channels/orders").get("subscribers").asInt()).isEqualTo(3);
    assertThat(sse.http.ok("/api/v1/users/alice/subscriptions").get("connections").asInt())
        .isEqualTo(2);

    sse.disconnect(bob);

    JsonNode after = sse.stats();
    assertThat(after.get("connections").asInt()).isEqualTo(2);
    assertThat(after.get("users").asInt()).isEqualTo(1);
    assertThat(after.get("channels").asInt()).as("news had only bob").isEqualTo(1);
    assertThat(after.get("connections_total").get("opened").asLong()).isEqualTo(3);
    assertThat(sse.http.get("/api/v1/users/bob/subscriptions").status()).isEqualTo(404);
  }

  @Test
  void aSendToAUserReachesTheirWebSocketAndTheirStreamAlike() {
    start(PushFixture.production());
    PushDevice ws = webSocket("alice");
    SseStream stream = sse.stream("alice", "");

    JsonNode answer =
        sse.notify("send", "{'target_user_id':'alice','event_type':'both','payload':{}}");

    assertThat(answer.get("delivered_to").asInt()).isEqualTo(2);
    assertThat(answer.get("queued").asBoolean()).isFalse();
    assertThat(ws.awaitEvent("both").get("id").asText())
        .isEqualTo(stream.awaitNotification("both").get("id").asText());
  }

  @Test
  void theShutdownNoticeArrivesAsAnEventWithRetryAfterWhatWasQueuedThenTheStreamEnds()
      throws Exception {
    start(
        PushFixture.production()
            .reconnectAfter(Duration.ofSeconds(7))
            .drainTimeout(Duration.ofSeconds(5)));
    SseStream alice = sse.stream("alice", "");
    sse.send("alice", "before");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(sse.server::close);
    alice.awaitEnd();
    closing.get(PushFixture.WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);

    List<SseStream.Event> events = alice.events().stream().filter(e -> !e.is("heartbeat")).toList();
    assertThat(events.subList(events.size() - 3, events.size()))
        .extracting(SseStream.Event::type)
        .containsExactly("notification", "shutdown", "error");
    assertThat(events.get(events.size() - 3).notification("before")).isTrue();
    SseStream.Event shutdown = events.get(events.size() - 2);
    assertThat(shutdown.retry()).hasValue(7000);
    assertThat(shutdown.id()).as("the last event id stays the stream's").isEmpty();
    assertThat(shutdown.json())
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json("{'reason':'server shutting down','reconnect_after_seconds':7}")));
    assertThat(events.getLast().json().get("code").asText()).isEqualTo("going_away");
    assertThat(sse.server.registry().connectionCount()).isZero();
  }

  @Test
  void aUsersConnectionLimitCountsStreamsAndWebSocketsTogether() {
    start(PushFixture.production().registryLimits(new RegistryLimits(100, 2, 50)));
    webSocket("alice");
    sse.stream("alice", "");

    SseStream.Refused stream = sse.refusal("token=" + PushTokens.valid("alice"), Map.of());
    int ws = webSocketRefusal("alice");

    assertThat(stream.status()).isEqualTo(429);
    assertThat(stream.code()).isEqualTo("TOO_MANY_CONNECTIONS");
    assertThat(ws).isEqualTo(429);
    assertThat(sse.stream("bob", "").isOpen()).as("another user is not limited").isTrue();
    assertThat(sse.stats().get("connections_total").get("refused").asLong()).isEqualTo(2);
  }

  @Test
  void theServersConnectionLimitRefusesAStreamWith503ServerFull() {
    start(PushFixture.production().registryLimits(new RegistryLimits(2, 5, 50)));
    webSocket("alice");
    sse.stream("bob", "");

    SseStream.Refused refused = sse.refusal("token=" + PushTokens.valid("carol"), Map.of());

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.code()).isEqualTo("SERVER_FULL");
    assertThat(webSocketRefusal("carol")).isEqualTo(503);
    assertThat(sse.stats().get("connections").asInt()).isEqualTo(2);
  }

  @Test
  void whenTheTokenExpiresTheStreamEndsWithATokenExpiredError() {
    start(PushFixture.production().jwt(PushTokens.hs256ConfigWithoutLeeway()));
    long exp = Instant.now().getEpochSecond() + 2;
    String token =
        PushTokens.hmac("HS256", PushTokens.SECRET, PushTokens.claims("alice").put("exp", exp));
    SseStream alice = sse.open("alice/short", sse.uri("token=" + token), Map.of());
    sse.send("alice", "before");
    alice.awaitNotification("before");

    List<SseStream.Event> rest = alice.awaitEnd();

    SseStream.Event last = rest.getLast();
    assertThat(last.type()).isEqualTo("error");
    assertThat(last.json().get("code").asText()).isEqualTo("token_expired");
    assertThat(last.json().get("message").asText()).isEqualTo("token expired");
    sse.awaitConnections(0);
    JsonNode after =
        sse.notify("send", "{'target_user_id':'alice','event_type':'after','payload':{}}");
    assertThat(after.get("delivered_to").asInt()).isZero();
    assertThat(after.get("queued").asBoolean()).isTrue();
  }

  @Test
  void queuedNotificationsAreReplayedOnConnectBeforeLiveOnesAndNamedInTheIds() {
    start(PushFixture.production());
    JsonNode answer =
        sse.notify("send-to-users", "{'target_user_ids':['bob'],'event_type':'q1','payload':{}}");
    assertThat(answer.path("results").path("bob").path("queued").asBoolean())
        .as(answer.toString())
        .isTrue();
    sse.send("bob", "q2");

    SseStream bob = sse.stream("bob", "");
    sse.send("bob", "live");
    sse.settle();

    assertThat(bob.eventTypes()).containsExactly("q1", "q2", "live");
    assertThat(bob.notifications())
        .extracting(e -> SseEventId.parse(e.id().orElseThrow()).entries().getFirst().offset())
        .containsExactly(1L, 2L, 3L);
    SseStream other = sse.stream("bob", "");
    sse.settle();
    assertThat(other.eventTypes()).as("a queued notification is taken once (Ara)").isEmpty();
  }

  @Test
  void notificationsSentWhileAStreamConnectsArriveOnceEachInOrder() throws Exception {
    start(PushFixture.production());
    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () -> IntStream.range(0, 60).forEach(i -> sse.send("bob", "n" + i)));

    SseStream bob = sse.stream("bob", "");
    sending.get(PushFixture.WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
    sse.settle();

    assertThat(bob.eventTypes()).isEqualTo(IntStream.range(0, 60).mapToObj(i -> "n" + i).toList());
  }
}
