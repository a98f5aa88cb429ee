package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.RegistryLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /sse}: a stream of events for one device, in production mode (tokens checked, an API
 * key that the stream does not need). Real sockets; absence is proven by {@link SseFixture#settle}.
 */
class SseStreamTest {

  private SseFixture sse;

  private SseFixture start(ServerConfig.Builder config) {
    sse = SseFixture.start(config);
    return sse;
  }

  @AfterEach
  void close() {
    sse.close();
  }

  @Test
  void theStreamBeginsWithConnectedNamingTheConnectionAndTheUser() {
    start(PushFixture.production());

    SseStream alice = sse.stream("alice", "");

    assertThat(alice.headers().firstValue("Content-Type")).contains("text/event-stream");
    assertThat(alice.headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(alice.headers().firstValue("X-Accel-Buffering")).contains("no");
    assertThat(alice.headers().firstValue("Transfer-Encoding")).contains("chunked");
    SseStream.Event connected = alice.events().getFirst();
    assertThat(connected.type()).isEqualTo("connected");
    assertThat(connected.id()).as("connected leaves the last event id alone").isEmpty();
    assertThat(PushHttp.fieldNames(connected.json())).containsExactly("connection_id", "user_id");
    assertThat(connected.json().get("user_id").asText()).isEqualTo("alice");
    assertThat(connected.json().get("connection_id").asText()).matches("c[0-9]+");
  }

  @Test
  void aNotificationToTheUserArrivesAsItsParamsWithAnIdNamingTheInboxPosition() {
    start(PushFixture.production());
    SseStream alice = sse.stream("alice", "");

    String id = sse.send("alice", "hello");

    SseStream.Event event = alice.await(e -> e.notification("hello"), "hello");
    JsonNode params = event.json();
    assertThat(PushHttp.fieldNames(params))
        .containsExactly("id", "occurred_at", "event_type", "payload", "metadata");
    assertThat(params.get("id").asText()).isEqualTo(id);
    SseEventId eventId = SseEventId.parse(event.id().orElseThrow());
    assertThat(eventId.entries()).hasSize(1);
    assertThat(eventId.entries().getFirst().key()).isEqualTo("~");
    assertThat(eventId.entries().getFirst().offset()).isEqualTo(1);
  }

  @Test
  void channelsInTheQueryAreFollowedAtOnceAndOthersAreNot() {
    start(PushFixture.production());
    SseStream alice = sse.stream("alice", "channels=orders,news");

    sse.publish("orders", "o1");
    sse.publish("sports", "s1");
    sse.publish("news", "w1");
    sse.settle();

    assertThat(alice.eventTypes()).containsExactly("o1", "w1");
    SseStream.Event o1 =
        alice.events().stream().filter(e -> e.notification("o1")).findFirst().orElseThrow();
    assertThat(PushHttp.fieldNames(o1.json()).subList(0, 3))
        .containsExactly("channel", "offset", "epoch");
    assertThat(o1.json().get("channel").asText()).isEqualTo("orders");
    SseEventId id = SseEventId.parse(o1.id().orElseThrow());
    assertThat(id.entries())
        .extracting(SseEventId.Entry::key)
        .containsExactly("~", "orders", "news");
    assertThat(id.channels().get("orders").offset()).isEqualTo(1);
    assertThat(id.channels().get("orders").epoch()).isEqualTo(o1.json().get("epoch").asText());
    assertThat(id.channels().get("news").offset()).as("news had nothing yet").isZero();
  }

  @Test
  void whatWasSentWhileTheUserWasAwayIsReplayedFirstInOrder() {
    start(PushFixture.production());
    sse.send("bob", "q1");
    sse.send("bob", "q2");
    sse.send("bob", "q3");

    SseStream bob = sse.stream("bob", "");
    sse.send("bob", "live");
    sse.settle();

    assertThat(bob.eventTypes()).containsExactly("q1", "q2", "q3", "live");
  }

  @Test
  void aHeartbeatComesEveryHeartbeatInterval() {
    start(PushFixture.production().sseHeartbeat(Duration.ofMillis(200)));
    SseStream alice = sse.stream("alice", "");
    Instant before = Instant.now();

    SseStream.Event first = alice.await(e -> e.is("heartbeat"), "a heartbeat");
    SseStream.Event second = alice.await(e -> e.is("heartbeat"), "another heartbeat");

    assertThat(PushHttp.fieldNames(first.json())).containsExactly("timestamp");
    String stamp = second.json().get("timestamp").asText();
    assertThat(stamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(stamp))
        .isAfterOrEqualTo(before.minusSeconds(1))
        .isBeforeOrEqualTo(Instant.now().plusSeconds(1));
    assertThat(first.id()).isEmpty();
  }

  @Test
  void theStreamOutlivesTheHttpTimeoutsOfIdleConnections() {
    Duration short_ = Duration.ofMillis(300);
    start(
        PushFixture.production()
            .connectionLimits(new ConnectionLimits(short_, short_, short_, short_, 0))
            .sseHeartbeat(Duration.ofMillis(1000)));
    SseStream alice = sse.stream("alice", "");

    alice.await(e -> e.is("heartbeat"), "a heartbeat, three timeouts later");
    sse.send("alice", "still-here");

    alice.awaitNotification("still-here");
    assertThat(sse.stats().get("connections_total").get("opened").asInt()).isEqualTo(1);
  }

  @Test
  void aStreamNeedsNoApiKeyAndHoldsNoApiRequestSlot() {
    start(PushFixture.production().loadLimits(new LoadLimits(1, 1000, 100, 10_000)));
    SseStream alice = sse.stream("alice", "");
    SseStream bob = sse.stream("bob", "");

    assertThat(sse.http.get("/stats").status()).as("the one API slot is free").isEqualTo(200);
    sse.send("alice", "for-alice");
    sse.send("bob", "for-bob");

    alice.awaitNotification("for-alice");
    bob.awaitNotification("for-bob");
  }

  @Test
  void withoutATokenProductionRefusesWith401AndTheApiErrorBody() {
    start(PushFixture.production());

    SseStream.Refused refused = sse.refusal("", Map.of());

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("UNAUTHORIZED");
    assertThat(refused.message()).contains("token is required");
    assertThat(refused.json().get("error").has("details")).isTrue();
    assertThat(sse.stats().get("connections_total").get("refused").asInt()).isEqualTo(1);
  }

  @Test
  void aBadTokenIsRefusedWith401AndABearerHeaderIsAccepted() {
    start(PushFixture.production());

    assertThat(sse.refusal("token=not-a-jwt", Map.of()).status()).isEqualTo(401);
    SseStream alice =
        sse.open(
            "alice/bearer",
            sse.uri(""),
            Map.of("Authorization", "Bearer " + PushTokens.valid("alice")));

    assertThat(alice.events().getFirst().json().get("user_id").asText()).isEqualTo("alice");
  }

  @Test
  void developmentModeLetsADeviceConnectWithoutAToken() {
    start(PushFixture.development());

    SseStream anonymous = sse.open("anonymous", sse.uri(""), Map.of());

    String user = anonymous.events().getFirst().json().get("user_id").asText();
    assertThat(user).startsWith("anonymous-");
    sse.send(user, "hi");
    anonymous.awaitNotification("hi");
  }

  @Test
  void parametersThatMakeNoSenseAreRefusedWith400SayingWhy() {
    start(PushFixture.production().registryLimits(new RegistryLimits(100, 5, 2)));
    String token = "token=" + PushTokens.valid("alice") + "&";

    SseStream.Refused badChannel = sse.refusal(token + "channels=orders,no%20spaces", Map.of());
    SseStream.Refused tooMany = sse.refusal(token + "channels=a,b,c", Map.of());
    SseStream.Refused badAck = sse.refusal(token + "ack=yes", Map.of());

    assertThat(List.of(badChannel.status(), tooMany.status(), badAck.status())).containsOnly(400);
    assertThat(badChannel.code()).isEqualTo("BAD_REQUEST");
    assertThat(badChannel.message()).contains("\"no spaces\"");
    assertThat(tooMany.message()).contains("3 channels").contains("at most 2");
    assertThat(badAck.message()).contains("\"yes\"");
    assertThat(sse.server.registry().connectionCount()).isZero();
  }

  @Test
  void aUserOverTheirConnectionLimitIsRefusedWith429WhateverTheTransport() {
    start(PushFixture.production().registryLimits(new RegistryLimits(100, 2, 50)));
    SseStream first = sse.stream("alice", "");
    sse.stream("alice", "");

    SseStream.Refused refused = sse.refusal("token=" + PushTokens.valid("alice"), Map.of());

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("TOO_MANY_CONNECTIONS");
    assertThat(sse.stats().get("connections").asInt()).isEqualTo(2);
    assertThat(sse.stats().get("connections_total").get("refused").asInt()).isEqualTo(1);
    sse.disconnect(first);
    assertThat(sse.stream("alice", "").isOpen()).as("a freed place is taken again").isTrue();
  }

  @Test
  void otherMethodsOnTheEndpointsAreRefusedWith405() {
    start(PushFixture.production());

    PushHttp.Response post = sse.http.post("/sse", "{}");
    PushHttp.Response get = sse.http.get("/sse/ack");

    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).contains("GET");
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).contains("POST");
    assertThat(get.json().get("error").get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
  }
}
