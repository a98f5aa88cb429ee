package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.OutboxLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The offline queue: a notification sent to a user none of whose devices is connected waits in the
 * user's inbox, and their next connection gets what waits first, in order, before anything sent
 * after it connected. The inbox keeps {@code offline_queue.max_per_user} notifications (the oldest
 * go first, counted {@code dropped}) for {@code offline_queue.ttl_seconds}, or for a notification's
 * own {@code ttl} (counted {@code expired}).
 *
 * <p>That a connection got nothing more is proven by a later notification to the same user: a
 * user's notifications reach a device in the order they were sent, so once the later one arrived,
 * anything the inbox still owed would have arrived before it.
 */
class PushQueueTest {

  private PushFixture push;

  @AfterEach
  void close() {
    if (push != null) {
      push.close();
    }
  }

  private void start(DeliveryLimits limits) {
    push = PushFixture.start(PushFixture.production().deliveryLimits(limits));
  }

  /** The default limits with the offline queue's size and TTL changed. */
  private static DeliveryLimits offlineQueue(int maxPerUser, Duration ttl) {
    DeliveryLimits d = DeliveryLimits.DEFAULTS;
    return PushFixture.deliveryLimits(d.historySize(), maxPerUser, ttl, d.ackTimeout());
  }

  private JsonNode send(String user, String eventType) {
    return push.sendTo(user, eventType);
  }

  /**
   * Sends {@code user} a notification {@code eventType} and waits until {@code device} has it:
   * whatever the user's inbox owed the device arrived before it.
   */
  private void sendAndAwait(String user, PushDevice device, String eventType) {
    send(user, eventType);
    device.awaitEvent(eventType);
  }

  private JsonNode offlineQueue() {
    return push.stats().get("offline_queue");
  }

  @Test
  void aSendToAUserWithoutDevicesAnswersQueued() {
    start(DeliveryLimits.DEFAULTS);

    JsonNode answer = send("dave", "for-dave");

    assertThat(answer.get("delivered_to").asInt()).isZero();
    assertThat(answer.get("queued").asBoolean()).isTrue();
  }

  @Test
  void theNextConnectionGetsTheQueuedNotificationsFirstInOrderBeforeLaterOnes() {
    start(DeliveryLimits.DEFAULTS);
    List<String> ids = new ArrayList<>();
    for (String event : List.of("q1", "q2", "q3")) {
      ids.add(send("dave", event).get("notification_id").asText());
    }

    PushDevice phone = push.device("dave");
    sendAndAwait("dave", phone, "live");

    assertThat(phone.takeEvents()).containsExactly("q1", "q2", "q3", "live");
    assertThat(phone.notifications().subList(0, 3))
        .extracting(params -> params.get("id").asText())
        .containsExactlyElementsOf(ids);
  }

  @Test
  void queuedNotificationsKeepTheirContent() {
    start(DeliveryLimits.DEFAULTS);
    push.notify(
        "send",
        "{'target_user_id':'dave','event_type':'order.shipped','payload':{'order':42},"
            + "'priority':'high','correlation_id':'req-7'}");

    JsonNode params = push.device("dave").awaitEvent("order.shipped");

    assertThat(params.get("payload")).isEqualTo(PushHttp.parse("{\"order\":42}"));
    assertThat(params.get("metadata").get("priority").asText()).isEqualTo("High");
    assertThat(params.get("metadata").get("correlation_id").asText()).isEqualTo("req-7");
  }

  @Test
  void sendToUsersQueuesForEachUserWithoutDevicesAndReportsIt() {
    start(DeliveryLimits.DEFAULTS);
    PushDevice alice = push.device("alice");

    JsonNode answer =
        push.notify(
            "send-to-users",
            "{'target_user_ids':['alice','dave','erin'],'event_type':'for-some','payload':{}}");

    assertThat(answer.get("results"))
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json(
                    "{"
                        + "'alice':{'delivered':true,'queued':false,'connections':1},"
                        + "'dave':{'delivered':false,'queued':true,'connections':0},"
                        + "'erin':{'delivered':false,'queued':true,'connections':0}}")));
    String id = answer.get("notification_id").asText();
    assertThat(alice.awaitEvent("for-some").get("id").asText()).isEqualTo(id);
    assertThat(push.device("dave").awaitEvent("for-some").get("id").asText()).isEqualTo(id);
    assertThat(push.device("erin").awaitEvent("for-some").get("id").asText()).isEqualTo(id);
  }

  @Test
  void theQueueIsDeliveredOnceToTheFirstConnectionNotToTheUsersLaterOnes() {
    start(DeliveryLimits.DEFAULTS);
    send("dave", "queued");
    PushDevice phone = push.device("dave");
    phone.awaitEvent("queued");

    PushDevice laptop = push.device("dave");
    sendAndAwait("dave", laptop, "later");

    assertThat(laptop.takeEvents()).containsExactly("later");
  }

  @Test
  void aNotificationDeliveredToAConnectedDeviceIsNotQueued() {
    start(DeliveryLimits.DEFAULTS);
    PushDevice phone = push.device("dave");
    sendAndAwait("dave", phone, "delivered");
    phone.close();
    push.awaitConnections(0);

    PushDevice next = push.device("dave");
    sendAndAwait("dave", next, "later");

    assertThat(next.takeEvents()).containsExactly("later");
  }

  @Test
  void statsCountTheOfflineQueue() {
    start(DeliveryLimits.DEFAULTS);
    send("dave", "d1");
    send("dave", "d2");
    send("erin", "e1");

    assertThat(offlineQueue())
        .isEqualTo(
            PushHttp.parse(
                PushHttp.json(
                    "{'users':2,'notifications':3,'queued':3,'awaiting_ack':0,"
                        + "'expired':0,'dropped':0}")));

    push.device("dave").awaitEvent("d2");
    await("dave's notifications to leave the queue")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(offlineQueue().get("queued").asLong()).isEqualTo(1));
  }

  @Test
  void aFullQueueDropsTheOldestAndCountsThem() {
    start(offlineQueue(3, Duration.ofHours(1)));
    for (int i = 1; i <= 5; i++) {
      assertThat(send("dave", "n" + i).get("queued").asBoolean()).isTrue();
    }

    JsonNode queue = offlineQueue();
    assertThat(queue.get("queued").asLong()).isEqualTo(3);
    assertThat(queue.get("dropped").asLong()).isEqualTo(2);

    PushDevice phone = push.device("dave");
    sendAndAwait("dave", phone, "live");
    assertThat(phone.takeEvents()).containsExactly("n3", "n4", "n5", "live");
  }

  @Test
  void aQueuedNotificationExpiresAfterTheQueueTtlUnlessItsOwnTtlIsLonger() {
    start(offlineQueue(100, Duration.ofMillis(200)));
    send("dave", "short-lived");
    push.notify("send", "{'target_user_id':'dave','event_type':'kept','payload':{},'ttl':60}");

    await("the notification without a ttl to expire")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(offlineQueue().get("expired").asLong()).isEqualTo(1));
    assertThat(offlineQueue().get("queued").asLong()).isEqualTo(1);

    PushDevice phone = push.device("dave");
    sendAndAwait("dave", phone, "live");
    assertThat(phone.takeEvents()).containsExactly("kept", "live");
  }

  @Test
  void aNotificationsTtlShorterThanTheQueueTtlExpiresItFirst() {
    start(DeliveryLimits.DEFAULTS);
    push.notify("send", "{'target_user_id':'dave','event_type':'brief','payload':{},'ttl':1}");
    send("dave", "kept");

    await("the notification with ttl 1 to expire")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(offlineQueue().get("expired").asLong()).isEqualTo(1));

    PushDevice phone = push.device("dave");
    sendAndAwait("dave", phone, "live");
    assertThat(phone.takeEvents()).containsExactly("kept", "live");
  }

  /**
   * Sends to a user while one of their devices connects behind a long inbox: the inbox is replayed
   * first, then every racing send, each sender's in the order sent, none lost and none twice. The
   * racing sends go on from before the device connects until after it is registered; repeated, as a
   * race goes one way or the other.
   */
  @RepeatedTest(3)
  void sendsRacingAConnectArriveAfterTheQueueInOrderNoneLostOrDoubled() {
    int bound = 5_000;
    push =
        PushFixture.start(
            PushFixture.production()
                .deliveryLimits(offlineQueue(bound, Duration.ofHours(1)))
                .outboxLimits(new OutboxLimits(bound, 100_000_000, 64 << 10)));
    String dave = "{'type':'user','value':'dave'}";
    List<String> queued = push.sendInBatches(dave, "q", 0, 500);
    RacingSends racing = RacingSends.start(push, dave, 4);

    PushDevice phone = push.device("dave");
    List<List<String>> sent = racing.stop();
    sendAndAwait("dave", phone, "after");

    List<String> events = phone.takeEvents();
    assertThat(events.subList(0, queued.size())).containsExactlyElementsOf(queued);
    assertThat(events.getLast()).isEqualTo("after");
    RacingSends.assertEachOnceInSendersOrder(
        events.subList(queued.size(), events.size() - 1), sent);
  }

  /**
   * Two devices of a user connecting at once: the queue goes whole to one of them, once; the other
   * gets only what is sent after.
   */
  @RepeatedTest(3)
  void devicesConnectingTogetherShareTheQueueOnceBetweenThem() {
    start(offlineQueue(1_000, Duration.ofHours(1)));
    List<String> queued = push.sendInBatches("{'type':'user','value':'dave'}", "q", 0, 300);

    CompletableFuture<PushDevice> other = CompletableFuture.supplyAsync(() -> push.device("dave"));
    PushDevice phone = push.device("dave");
    PushDevice laptop = other.join();
    send("dave", "live");
    phone.awaitEvent("live");
    laptop.awaitEvent("live");

    List<String> onPhone = phone.takeEvents();
    List<String> onLaptop = laptop.takeEvents();
    List<String> whole = new ArrayList<>(queued);
    whole.add("live");
    assertThat(List.of(onPhone, onLaptop)).containsExactlyInAnyOrder(whole, List.of("live"));
  }
}
