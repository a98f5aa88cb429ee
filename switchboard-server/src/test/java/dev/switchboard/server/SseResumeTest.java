package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.Position;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resuming an SSE stream: a reconnect with {@code Last-Event-ID} (or {@code ?last_event_id=})
 * resumes exactly after that event, across the user's inbox and the followed channels, or says with
 * an {@code error} event which streams it cannot resume and goes on live. Production mode, real
 * sockets; absence is proven by {@link SseFixture#settle}.
 */
class SseResumeTest {

  private static final String FOREIGN = "foreignepoch0";

  private SseFixture sse;

  private SseFixture start(ServerConfig.Builder config) {
    sse = SseFixture.start(config);
    return sse;
  }

  @AfterEach
  void close() {
    sse.close();
  }

  /** A small history: channels keep 2 notifications, inboxes 2. */
  private static DeliveryLimits smallHistory() {
    DeliveryLimits d = DeliveryLimits.DEFAULTS;
    return new DeliveryLimits(
        2,
        d.historyTtl(),
        d.historyMaxChannels(),
        2,
        d.queueTtl(),
        d.queueMaxUsers(),
        d.ackTimeout(),
        d.acksMaxPending(),
        d.idempotencyTtl(),
        d.idempotencyMaxKeys());
  }

  private static SseStream.Event notification(SseStream stream, String eventType) {
    return stream.notifications().stream()
        .filter(e -> e.notification(eventType))
        .findFirst()
        .orElseThrow(() -> new AssertionError(stream + " never got " + eventType));
  }

  private static String encoded(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Test
  void aLastEventIdHeaderResumesRightAfterThatEventAcrossTheInboxAndTheChannels() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "channels=orders,news");
    sse.send("alice", "u1");
    sse.publish("orders", "o1");
    sse.publish("news", "w1");
    sse.send("alice", "u2");
    first.awaitNotification("u2");
    String afterO1 = notification(first, "o1").id().orElseThrow();
    sse.disconnect(first);
    sse.send("alice", "u3"); // while away
    sse.publish("orders", "o2");

    SseStream again = sse.stream("alice", "channels=orders,news", Map.of("Last-Event-ID", afterO1));
    sse.settle();

    assertThat(again.eventTypes("~")).containsExactly("u2", "u3");
    assertThat(again.eventTypes("orders")).containsExactly("o2");
    assertThat(again.eventTypes("news")).containsExactly("w1");
    assertThat(again.eventTypes()).hasSize(4);
    assertThat(again.events("error")).isEmpty();
  }

  @Test
  void aLastEventIdQueryParameterResumesAsTheHeaderDoes() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "channels=orders");
    sse.send("alice", "u1");
    sse.publish("orders", "o1");
    first.awaitNotification("o1");
    String last = first.lastEventId();
    sse.disconnect(first);
    sse.send("alice", "u2");
    sse.publish("orders", "o2");
    sse.send("alice", "u3");

    SseStream again = sse.stream("alice", "channels=orders&last_event_id=" + encoded(last));
    sse.send("alice", "live");
    sse.settle();

    assertThat(again.eventTypes("~")).containsExactly("u2", "u3", "live");
    assertThat(again.eventTypes("orders")).containsExactly("o2");
    assertThat(again.events("error")).isEmpty();
  }

  @Test
  void theIdOnlyEventAfterTheReplayCarriesEveryStreamsCurrentPosition() {
    start(PushFixture.production());
    sse.publish("news", "w1"); // before alice ever followed news
    sse.publish("news", "w2");
    SseStream first = sse.stream("alice", "channels=orders,news");
    sse.send("alice", "u1");
    sse.publish("orders", "o1");
    first.awaitNotification("o1");
    SseEventId was = SseEventId.parse(first.lastEventId());
    sse.disconnect(first);
    sse.send("alice", "u2");
    sse.publish("orders", "o2");
    sse.publish("orders", "o3");

    SseStream again =
        sse.stream("alice", "channels=orders,news", Map.of("Last-Event-ID", first.lastEventId()));

    SseStream.Event idOnly =
        again.events().stream().filter(SseStream.Event::idOnly).findFirst().orElseThrow();
    SseEventId now = SseEventId.parse(idOnly.id().orElseThrow());
    assertThat(now.entries())
        .extracting(SseEventId.Entry::key)
        .containsExactly("~", "orders", "news");
    assertThat(now.entries())
        .extracting(SseEventId.Entry::offset)
        .as("u2; o3; news untouched since w2")
        .containsExactly(2L, 3L, 2L);
    assertThat(now.entries())
        .extracting(SseEventId.Entry::epoch)
        .isEqualTo(was.entries().stream().map(SseEventId.Entry::epoch).toList());
    assertThat(again.eventTypes())
        .as("w1 and w2 came before alice followed news")
        .containsExactly("u2", "o2", "o3");
  }

  @Test
  void aStreamTheIdDoesNotNameIsJoinedLiveAndAChannelNoLongerFollowedIsForgotten() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "channels=orders");
    sse.publish("orders", "o1");
    first.awaitNotification("o1");
    sse.disconnect(first);
    sse.publish("orders", "o2");
    sse.publish("news", "w1");

    SseStream again =
        sse.stream("alice", "channels=news", Map.of("Last-Event-ID", first.lastEventId()));
    sse.publish("orders", "o3");
    sse.publish("news", "w2");
    sse.settle();

    assertThat(again.eventTypes()).containsExactly("w2");
    assertThat(again.events("error")).isEmpty();
    assertThat(SseEventId.parse(again.lastEventId()).entries())
        .extracting(SseEventId.Entry::key)
        .containsExactly("~", "news");
  }

  @Test
  void aForeignEpochGivesNotRecoveredNamingTheStreamsAndTheStreamGoesOnLive() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "channels=orders");
    sse.send("alice", "u1");
    sse.publish("orders", "o1");
    first.awaitNotification("o1");
    SseEventId real = SseEventId.parse(first.lastEventId());
    sse.disconnect(first);
    sse.send("alice", "queued"); // owed whatever the id says
    sse.publish("orders", "o2");

    SseStream again =
        sse.stream(
            "alice",
            "channels=orders",
            Map.of("Last-Event-ID", "~:1:" + FOREIGN + ",orders:1:" + FOREIGN));
    sse.send("alice", "u-live");
    sse.publish("orders", "o-live");
    sse.settle();

    List<SseStream.Event> errors = again.events("error");
    assertThat(errors).hasSize(1);
    JsonNode error = errors.getFirst().json();
    assertThat(error.get("code").asText()).isEqualTo("not_recovered");
    assertThat(PushDevice.texts(error.get("streams"))).containsExactly("~", "orders");
    assertThat(error.get("message").asText()).contains("~").contains("orders");
    assertThat(again.eventTypes("~"))
        .as("the inbox falls back to what is owed")
        .containsExactly("queued", "u-live");
    assertThat(again.eventTypes("orders")).as("the channel goes on live").containsExactly("o-live");
    SseEventId now = SseEventId.parse(again.lastEventId());
    assertThat(now.entries())
        .extracting(SseEventId.Entry::epoch)
        .as("the ids carry the streams' own epochs again")
        .isEqualTo(real.entries().stream().map(SseEventId.Entry::epoch).toList());
    assertThat(again.isOpen()).isTrue();
  }

  @Test
  void aPositionOlderThanTheHistoryGivesNotRecoveredAndOnlyWhatIsStillOwed() {
    start(PushFixture.production().deliveryLimits(smallHistory()));
    SseStream first = sse.stream("alice", "channels=orders,news");
    sse.send("alice", "u1");
    sse.publish("orders", "o1");
    sse.publish("news", "w1");
    first.awaitNotification("w1");
    String last = first.lastEventId();
    sse.disconnect(first);
    for (int i = 2; i <= 5; i++) {
      sse.send("alice", "u" + i);
      sse.publish("orders", "o" + i);
    }
    sse.publish("news", "w2"); // within the history: news resumes

    SseStream again = sse.stream("alice", "channels=orders,news", Map.of("Last-Event-ID", last));
    sse.publish("orders", "o-live");
    sse.settle();

    JsonNode error = again.events("error").getFirst().json();
    assertThat(error.get("code").asText()).isEqualTo("not_recovered");
    assertThat(PushDevice.texts(error.get("streams"))).containsExactly("~", "orders");
    assertThat(again.eventTypes("~")).as("the inbox keeps 2").containsExactly("u4", "u5");
    assertThat(again.eventTypes("orders")).containsExactly("o-live");
    assertThat(again.eventTypes("news")).containsExactly("w2");
  }

  @Test
  void aResumeGetsWhatTheUsersOtherDevicesTookMeanwhile() {
    start(PushFixture.production());
    SseStream phone = sse.stream("alice", "");
    SseStream laptop = sse.stream("alice", "");
    sse.send("alice", "u1");
    laptop.awaitNotification("u1");
    sse.disconnect(laptop);
    sse.send("alice", "u2"); // the phone takes it; nothing is queued
    sse.send("alice", "u3");
    phone.awaitNotification("u3");

    SseStream again = sse.stream("alice", "", Map.of("Last-Event-ID", laptop.lastEventId()));
    sse.settle();

    assertThat(again.eventTypes()).containsExactly("u2", "u3");
    assertThat(again.events("error")).isEmpty();
  }

  @Test
  void aPositionBeyondTheStreamsEndIsNotRecovered() {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "channels=orders");
    sse.publish("orders", "o1");
    first.awaitNotification("o1");
    Position orders = SseEventId.parse(first.lastEventId()).channels().get("orders");
    sse.disconnect(first);
    sse.publish("orders", "o2");

    SseStream again =
        sse.stream(
            "alice",
            "channels=orders",
            Map.of("Last-Event-ID", "orders:" + (orders.offset() + 5) + ":" + orders.epoch()));
    sse.publish("orders", "o-live");
    sse.settle();

    JsonNode error = again.events("error").getFirst().json();
    assertThat(error.get("code").asText()).isEqualTo("not_recovered");
    assertThat(PushDevice.texts(error.get("streams"))).containsExactly("orders");
    assertThat(again.eventTypes()).containsExactly("o-live");
  }

  @Test
  void aMalformedLastEventIdIsRefusedWith400SayingWhatIsWrong() {
    start(PushFixture.production());
    String token = "token=" + PushTokens.valid("alice");

    Map<String, String> cases =
        Map.of(
            "garbage", "expected key:offset:epoch",
            "~:x:abc", "offset",
            "~:1:ABC", "epoch",
            "~:1:abc,~:2:abc", "appears twice",
            "no spaces:1:abc", "key",
            "~:1:abc,orders:99999999999999999999:abc", "offset");
    cases.forEach(
        (id, why) -> {
          SseStream.Refused refused = sse.refusal(token, Map.of("Last-Event-ID", id));
          assertThat(refused.status()).as(id).isEqualTo(400);
          assertThat(refused.code()).as(id).isEqualTo("BAD_REQUEST");
          assertThat(refused.message()).as(id).contains("last event id is malformed").contains(why);
        });
    SseStream.Refused query = sse.refusal(token + "&last_event_id=" + encoded("~:1"), Map.of());

    assertThat(query.status()).isEqualTo(400);
    assertThat(query.message()).contains("\"~:1\"").contains("expected key:offset:epoch");
    assertThat(sse.server.registry().connectionCount()).isZero();
  }

  @Test
  void notificationsSentWhileAStreamResumesArriveOnceEachInOrder() throws Exception {
    start(PushFixture.production());
    SseStream first = sse.stream("alice", "channels=orders");
    sse.send("alice", "u0");
    sse.publish("orders", "o0");
    first.awaitNotification("o0");
    sse.disconnect(first);
    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () ->
                IntStream.rangeClosed(1, 40)
                    .forEach(
                        i -> {
                          sse.send("alice", "u" + i);
                          sse.publish("orders", "o" + i);
                        }));

    SseStream again =
        sse.stream("alice", "channels=orders", Map.of("Last-Event-ID", first.lastEventId()));
    sending.get(PushFixture.WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
    sse.settle();

    assertThat(again.eventTypes("~"))
        .isEqualTo(IntStream.rangeClosed(1, 40).mapToObj(i -> "u" + i).toList());
    assertThat(again.eventTypes("orders"))
        .isEqualTo(IntStream.rangeClosed(1, 40).mapToObj(i -> "o" + i).toList());
    assertThat(again.events("error")).isEmpty();
  }

  @Test
  void aChainOfReconnectsDuringSendsMissesNothingAndRepeatsNothing() throws Exception {
    start(PushFixture.production());
    List<SseStream> chain = new ArrayList<>(List.of(sse.stream("alice", "channels=orders")));
    CompletableFuture<Void> sending =
        CompletableFuture.runAsync(
            () ->
                IntStream.rangeClosed(1, 60)
                    .forEach(
                        i -> {
                          sse.send("alice", "u" + i);
                          sse.publish("orders", "o" + i);
                        }));
    for (int k = 0; k < 4; k++) {
      SseStream last = chain.getLast();
      sse.disconnect(last);
      chain.add(
          sse.stream("alice", "channels=orders", Map.of("Last-Event-ID", last.lastEventId())));
    }
    sending.get(PushFixture.WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
    sse.settle();

    List<String> inbox = new ArrayList<>();
    List<String> orders = new ArrayList<>();
    chain.forEach(
        s -> {
          inbox.addAll(s.eventTypes("~"));
          orders.addAll(s.eventTypes("orders"));
        });
    assertThat(inbox).isEqualTo(IntStream.rangeClosed(1, 60).mapToObj(i -> "u" + i).toList());
    assertThat(orders).isEqualTo(IntStream.rangeClosed(1, 60).mapToObj(i -> "o" + i).toList());
    assertThat(chain).allSatisfy(s -> assertThat(s.events("error")).isEmpty());
  }
}
