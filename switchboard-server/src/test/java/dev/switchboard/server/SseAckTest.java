package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /sse/ack}: how an SSE device acknowledges a notification sent to its user, and what
 * {@code ?ack=1} makes of the unacknowledged ones. Production mode (the token says who
 * acknowledges) unless a test says otherwise; real sockets.
 */
class SseAckTest {

  private SseFixture sse;

  private SseFixture start(ServerConfig.Builder config) {
    sse = SseFixture.start(config);
    return sse;
  }

  @AfterEach
  void close() {
    sse.close();
  }

  private JsonNode ackStats() {
    return sse.http.ok("/api/v1/stats/acks");
  }

  @Test
  void anAckWithTheUsersTokenAnswersAckedTrueAndCountsOnce() {
    start(PushFixture.production());
    SseStream alice = sse.stream("alice", "ack=1");
    String id = sse.send("alice", "hello");
    alice.awaitNotification("hello");

    PushHttp.Response ack = sse.ackAs("alice", id);
    PushHttp.Response again =
        sse.ack("token=" + PushTokens.valid("alice"), "{'notification_id':'" + id + "'}");

    assertThat(ack.status()).isEqualTo(200);
    assertThat(ack.header("Content-Type")).contains("application/json");
    assertThat(ack.json()).isEqualTo(PushHttp.parse("{\"acked\":true}"));
    assertThat(again.status()).as("with ?token=, a second time").isEqualTo(200);
    assertThat(again.json().get("acked").asBoolean()).isTrue();
    assertThat(ackStats().get("acknowledged").asInt()).isEqualTo(1);
    assertThat(ackStats().get("pending").asInt()).isZero();
  }

  @Test
  void anotherUsersAckGets404NotAwaitingAckAndTheRightfulUserCanStillAck() {
    start(PushFixture.production());
    SseStream alice = sse.stream("alice", "ack=1");
    String id = sse.send("alice", "for-alice");
    alice.awaitNotification("for-alice");

    PushHttp.Response mallory = sse.ackAs("mallory", id);

    assertThat(mallory.status()).isEqualTo(404);
    assertThat(mallory.json().get("error").get("code").asText()).isEqualTo("NOT_AWAITING_ACK");
    assertThat(mallory.json().get("error").get("message").asText())
        .contains(id)
        .contains("mallory");
    assertThat(ackStats().get("acknowledged").asInt()).as("nothing changed").isZero();
    assertThat(ackStats().get("pending").asInt()).isEqualTo(1);
    PushHttp.Response rightful = sse.ackAs("alice", id);
    assertThat(rightful.status()).isEqualTo(200);
    assertThat(rightful.json().get("acked").asBoolean()).isTrue();
    assertThat(ackStats().get("acknowledged").asInt()).isEqualTo(1);
  }

  @Test
  void aChannelsNotificationOrAnUnknownIdIsNotAwaitingAck() {
    start(PushFixture.production());
    SseStream alice = sse.stream("alice", "ack=1&channels=orders");
    String channel =
        sse.notify("channel", "{'channel':'orders','event_type':'o1','payload':{}}")
            .get("notification_id")
            .asText();
    alice.awaitNotification("o1");

    PushHttp.Response ofChannel = sse.ackAs("alice", channel);
    PushHttp.Response unknown = sse.ackAs("alice", "00000000-0000-4000-8000-000000000000");

    assertThat(ofChannel.status()).isEqualTo(404);
    assertThat(ofChannel.json().get("error").get("code").asText()).isEqualTo("NOT_AWAITING_ACK");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").get("code").asText()).isEqualTo("NOT_AWAITING_ACK");
  }

  @Test
  void anAckWithoutAValidTokenOrWithABadBodyIsRefusedSayingWhy() {
    start(PushFixture.production());
    String id = sse.send("alice", "queued");
    String bearer = "Bearer " + PushTokens.valid("alice");

    PushHttp.Response noToken = sse.ack("", "{'notification_id':'" + id + "'}");
    PushHttp.Response badToken = sse.ack("token=not-a-jwt", "{'notification_id':'" + id + "'}");
    PushHttp.Response notJson = sse.ack("", "{", "Authorization", bearer);
    PushHttp.Response noId = sse.ack("", "{}", "Authorization", bearer);
    PushHttp.Response notUuid = sse.ack("", "{'notification_id':'abc'}", "Authorization", bearer);

    assertThat(noToken.status()).isEqualTo(401);
    assertThat(noToken.json().get("error").get("message").asText()).contains("token is required");
    assertThat(badToken.status()).isEqualTo(401);
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("error").get("message").asText()).contains("not valid JSON");
    assertThat(noId.status()).isEqualTo(422);
    assertThat(noId.json().get("error").get("message").asText())
        .contains("notification_id is required");
    assertThat(notUuid.status()).isEqualTo(422);
    assertThat(notUuid.json().get("error").get("message").asText()).contains("\"abc\"");
    assertThat(ackStats().get("acknowledged").asInt()).isZero();
  }

  @Test
  void withAck1AResumeAfterTheLastEventAlsoBringsBackWhatCameBeforeItUnacknowledged() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "ack=1");
    String acked = sse.send("alice", "acked");
    String unacked = sse.send("alice", "unacked");
    first.awaitNotification("unacked");
    assertThat(sse.ackAs("alice", acked).status()).isEqualTo(200);
    String lastEventId = first.lastEventId();
    sse.disconnect(first);
    sse.send("alice", "while-away");

    SseStream again = sse.stream("alice", "ack=1", Map.of("Last-Event-ID", lastEventId));
    sse.settle();

    assertThat(again.eventTypes())
        .as("received before the id but never acknowledged: at-least-once wins over the resume")
        .containsExactly("unacked", "while-away");
    assertThat(again.notifications().getFirst().json().get("id").asText()).isEqualTo(unacked);
    assertThat(again.events("error")).as("the resume itself succeeded").isEmpty();
  }

  @Test
  void withAck1AnUnackedNotificationComesAgainOnTheNextConnectionAndAnAckedOneNever() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "ack=1");
    String acked = sse.send("alice", "acked");
    String unacked = sse.send("alice", "unacked");
    first.awaitNotification("unacked");
    assertThat(sse.ackAs("alice", acked).status()).isEqualTo(200);
    sse.disconnect(first);

    SseStream second = sse.stream("alice", "ack=1");
    sse.settle();

    assertThat(second.eventTypes()).containsExactly("unacked");
    assertThat(second.notifications().getFirst().json().get("id").asText())
        .as("the same notification, to deduplicate by id")
        .isEqualTo(unacked);
    assertThat(sse.ackAs("alice", unacked).status()).isEqualTo(200);
    sse.disconnect(second);
    SseStream third = sse.stream("alice", "ack=1");
    sse.settle();
    assertThat(third.eventTypes()).as("both were acknowledged").isEmpty();
  }

  @Test
  void withoutAck1ADeliveredNotificationIsNotDeliveredAgain() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "");
    sse.send("alice", "once");
    first.awaitNotification("once");
    sse.disconnect(first);

    SseStream second = sse.stream("alice", "ack=1");
    sse.settle();

    assertThat(second.eventTypes()).isEmpty();
  }

  @Test
  void withAck1AQueuedNotificationReplayedOnConnectIsOwedUntilAcknowledged() {
    start(PushFixture.production());
    String queued = sse.send("alice", "queued");
    SseStream first = sse.stream("alice", "ack=1");
    sse.settle();
    assertThat(first.eventTypes()).containsExactly("queued");
    sse.disconnect(first);

    SseStream second = sse.stream("alice", "ack=1");
    sse.settle();
    assertThat(second.eventTypes()).as("replayed but not acknowledged").containsExactly("queued");
    assertThat(sse.ackAs("alice", queued).json().get("acked").asBoolean()).isTrue();
    sse.disconnect(second);

    SseStream third = sse.stream("alice", "ack=1");
    sse.settle();
    assertThat(third.eventTypes()).isEmpty();
  }

  @Test
  void developmentModeAcknowledgesByConnectionId() {
    start(PushFixture.development());
    SseStream anonymous = sse.open("anonymous", sse.uri("ack=1"), java.util.Map.of());
    JsonNode connected = anonymous.events().getFirst().json();
    String user = connected.get("user_id").asText();
    String id = sse.send(user, "hi");
    anonymous.awaitNotification("hi");

    PushHttp.Response unnamed = sse.ack("", "{'notification_id':'" + id + "'}");
    PushHttp.Response wrong =
        sse.ack("", "{'notification_id':'" + id + "','connection_id':'c999999'}");
    PushHttp.Response ack =
        sse.ack(
            "",
            "{'notification_id':'"
                + id
                + "','connection_id':'"
                + connected.get("connection_id").asText()
                + "'}");

    assertThat(unnamed.status()).isEqualTo(422);
    assertThat(unnamed.json().get("error").get("message").asText()).contains("connection_id");
    assertThat(wrong.status()).isEqualTo(404);
    assertThat(wrong.json().get("error").get("code").asText()).isEqualTo("NO_SUCH_CONNECTION");
    assertThat(ack.status()).isEqualTo(200);
    assertThat(ack.json().get("acked").asBoolean()).isTrue();
    assertThat(ackStats().get("acknowledged").asInt()).isEqualTo(1);
  }
}
