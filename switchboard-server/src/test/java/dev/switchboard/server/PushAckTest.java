package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.DeliveryLimits;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Client ACKs: {@code ack {notification_id}} answers {@code {"acked": true}} for a notification
 * sent to the device's user, and -32011 for anything else (another user's, unknown, a channel's),
 * which changes nothing. {@code GET /api/v1/stats/acks} counts them as Ara does. A device connected
 * with {@code ?ack=1} gets at-least-once delivery: what it received and did not acknowledge comes
 * again on its user's next connection; devices without it get Ara's behaviour (delivered once).
 *
 * <p>That a connection got nothing more is proven by a later notification to the same user, which
 * arrives after anything the inbox still owed.
 */
class PushAckTest {

  private static final int NOT_AWAITING_ACK = -32011;
  private static final int INVALID_PARAMS = -32602;

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

  private void start() {
    start(DeliveryLimits.DEFAULTS);
  }

  /** Sends {@code user} a notification, waits until {@code device} has it; returns its id. */
  private String deliver(String user, PushDevice device, String eventType) {
    push.sendTo(user, eventType);
    return device.awaitEvent(eventType).get("id").asText();
  }

  private static JsonNode acked() {
    return PushHttp.parse("{\"acked\":true}");
  }

  private static int errorCode(JsonNode answer) {
    assertThat(answer.has("error")).as("an error: %s", answer).isTrue();
    return answer.get("error").get("code").asInt();
  }

  private long ackCount(String field) {
    return push.ackStats().get(field).asLong();
  }

  @Test
  void anAckOfANotificationSentToTheDevicesUserAnswersAcked() {
    start();
    PushDevice phone = push.device("alice");
    String id = deliver("alice", phone, "hello");

    assertThat(phone.ack(id).get("result")).isEqualTo(acked());
  }

  @Test
  void anotherDevicesOfTheSameUserMayAckIt() {
    start();
    PushDevice phone = push.device("alice");
    PushDevice laptop = push.device("alice");
    String id = deliver("alice", phone, "hello");

    assertThat(laptop.ack(id).get("result")).isEqualTo(acked());
  }

  @Test
  void aDeviceOfAnotherUserGetsAnErrorAndTheRightfulUserCanStillAck() {
    start();
    PushDevice alice = push.device("alice");
    PushDevice bob = push.device("bob");
    String id = deliver("alice", alice, "for-alice");

    assertThat(errorCode(bob.ack(id))).isEqualTo(NOT_AWAITING_ACK);
    assertThat(ackCount("pending")).isEqualTo(1);
    assertThat(ackCount("acknowledged")).isZero();

    assertThat(alice.ack(id).get("result")).isEqualTo(acked());
    assertThat(ackCount("acknowledged")).isEqualTo(1);
  }

  @Test
  void anUnknownNotificationIdIsAnError() {
    start();
    PushDevice phone = push.device("alice");

    assertThat(errorCode(phone.ack(UUID.randomUUID().toString()))).isEqualTo(NOT_AWAITING_ACK);
    assertThat(errorCode(phone.ack("not-a-uuid"))).isEqualTo(INVALID_PARAMS);
    assertThat(errorCode(phone.call("ack", "{}"))).isEqualTo(INVALID_PARAMS);
  }

  @Test
  void aChannelsNotificationIsNotAcknowledged() {
    start();
    PushDevice phone = push.device("alice");
    phone.subscribe("orders");
    push.sendToChannel("orders", "order.created");
    String id = phone.awaitEvent("order.created").get("id").asText();

    assertThat(errorCode(phone.ack(id))).isEqualTo(NOT_AWAITING_ACK);
  }

  @Test
  void ackStatsAnswerAraShapeAndCountPendingAndAcknowledged() {
    start();
    assertThat(PushHttp.fieldNames(push.ackStats()))
        .containsExactly("pending", "acknowledged", "expired", "average_ack_time_ms");
    PushDevice phone = push.device("alice");
    long before = System.nanoTime();
    String first = deliver("alice", phone, "one");
    deliver("alice", phone, "two");
    assertThat(ackCount("pending")).isEqualTo(2);

    phone.ack(first);
    assertThat(phone.ack(first).get("result")).isEqualTo(acked()); // twice: counted once
    double elapsedMs = (System.nanoTime() - before) / 1e6;

    JsonNode stats = push.ackStats();
    assertThat(stats.get("pending").asLong()).isEqualTo(1);
    assertThat(stats.get("acknowledged").asLong()).isEqualTo(1);
    assertThat(stats.get("expired").asLong()).isZero();
    assertThat(stats.get("average_ack_time_ms").asDouble()).isBetween(0.0, elapsedMs);
  }

  @Test
  void aDeliveryNotAcknowledgedWithinTheTimeoutCountsAsExpired() {
    DeliveryLimits d = DeliveryLimits.DEFAULTS;
    start(
        PushFixture.deliveryLimits(
            d.historySize(), d.queueSize(), d.queueTtl(), Duration.ofMillis(200)));
    PushDevice phone = push.device("alice");
    deliver("alice", phone, "ignored");

    await("the delivery's ACK to time out")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(ackCount("expired")).isEqualTo(1));
    assertThat(ackCount("pending")).isZero();
    assertThat(ackCount("acknowledged")).isZero();
  }

  @Test
  void anAck1DeviceGetsWhatItDidNotAcknowledgeAgainOnTheUsersNextConnection() {
    start();
    PushDevice phone = push.device("alice", "ack=1");
    String first = deliver("alice", phone, "one");
    String second = deliver("alice", phone, "two");
    String third = deliver("alice", phone, "three");
    phone.ack(second);
    phone.close();
    push.awaitConnections(0);

    PushDevice again = push.device("alice", "ack=1");
    deliver("alice", again, "live");

    assertThat(again.takeEvents()).containsExactly("one", "three", "live");
    assertThat(again.notifications().subList(0, 2))
        .extracting(params -> params.get("id").asText())
        .containsExactly(first, third);
  }

  @Test
  void anAcknowledgedNotificationNeverComesAgain() {
    start();
    PushDevice phone = push.device("alice", "ack=1");
    String id = deliver("alice", phone, "one");
    phone.close();
    push.awaitConnections(0);
    PushDevice second = push.device("alice", "ack=1");
    assertThat(second.awaitEvent("one").get("id").asText()).isEqualTo(id);
    assertThat(second.ack(id).get("result")).isEqualTo(acked());
    second.close();
    push.awaitConnections(0);

    PushDevice third = push.device("alice", "ack=1");
    deliver("alice", third, "live");

    assertThat(third.takeEvents()).containsExactly("live");
  }

  @Test
  void aQueuedNotificationReplayedToAnAck1DeviceIsOwedUntilAcknowledged() {
    start();
    String id = push.sendTo("alice", "queued").get("notification_id").asText();
    PushDevice phone = push.device("alice", "ack=1");
    phone.awaitEvent("queued");
    phone.close();
    push.awaitConnections(0);

    PushDevice again = push.device("alice", "ack=1");
    deliver("alice", again, "live");

    assertThat(again.takeEvents()).containsExactly("queued", "live");
    assertThat(again.notifications().get(0).get("id").asText()).isEqualTo(id);
  }

  @Test
  void aDeviceWithoutAck1GetsANotificationOnlyOnceAsInAra() {
    start();
    PushDevice phone = push.device("alice");
    deliver("alice", phone, "one");
    phone.close();
    push.awaitConnections(0);

    PushDevice again = push.device("alice");
    deliver("alice", again, "live");

    assertThat(again.takeEvents()).containsExactly("live");
  }

  @Test
  void aNotificationOwedForItsAckExpiresWithItsTtl() {
    start();
    PushDevice phone = push.device("alice", "ack=1");
    push.notify("send", "{'target_user_id':'alice','event_type':'brief','payload':{},'ttl':1}");
    phone.awaitEvent("brief");
    phone.close();
    push.awaitConnections(0);

    await("the unacknowledged notification to expire")
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(push.stats().get("offline_queue").get("expired").asLong()).isOne());
    PushDevice again = push.device("alice", "ack=1");
    deliver("alice", again, "live");

    assertThat(again.takeEvents()).isEqualTo(List.of("live"));
  }

  /**
   * What an {@code ack=1} device did not acknowledge comes again before sends racing the user's
   * reconnect, in order, none lost or doubled; the racing sends go on until after the device is
   * registered.
   */
  @RepeatedTest(2)
  void redeliveriesAndSendsRacingTheReconnectArriveInOrderNoneLostOrDoubled() {
    DeliveryLimits d = DeliveryLimits.DEFAULTS;
    start(PushFixture.deliveryLimits(d.historySize(), 5_000, d.queueTtl(), d.ackTimeout()));
    String alice = "{'type':'user','value':'alice'}";
    PushDevice phone = push.device("alice", "ack=1");
    List<String> owed = push.sendInBatches(alice, "owed", 0, 300);
    phone.awaitEvent("owed299");
    phone.close();
    push.awaitConnections(0);
    RacingSends racing = RacingSends.start(push, alice, 4);

    PushDevice again = push.device("alice", "ack=1");
    List<List<String>> sent = racing.stop();
    deliver("alice", again, "live");

    List<String> events = again.takeEvents();
    assertThat(events.subList(0, owed.size())).containsExactlyElementsOf(owed);
    assertThat(events.getLast()).isEqualTo("live");
    RacingSends.assertEachOnceInSendersOrder(events.subList(owed.size(), events.size() - 1), sent);
  }
}
