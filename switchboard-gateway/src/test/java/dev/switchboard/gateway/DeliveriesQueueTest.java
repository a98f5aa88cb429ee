package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleNotifications.notification;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A user's inbox as the offline queue of one node: a send to a user without devices is queued and
 * handed, in order, to the user's next connection; a device that acknowledges is owed a
 * notification again until its ACK (at-least-once); a queued notification expires at its own TTL or
 * else the queue's. Time is a clock the test moves; the store is the in-memory one.
 */
class DeliveriesQueueTest extends DeliveriesFixture {

  // ---- the offline queue ----

  @Test
  void aSendToAUserWithoutDevicesIsQueuedForThem() {
    Delivery delivery = deliveries.publish(new Target.User("alice"), notification());

    assertThat(delivery.queued()).containsExactly("alice");
    assertThat(delivery.queuedFor("alice")).isTrue();
    assertThat(delivery.deliveredTo()).isZero();
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 0));
  }

  @Test
  void aSendToUsersQueuesOnlyForThoseWithoutDevices() {
    FakeDevice bobPhone = new FakeDevice("bob-phone", "bob");
    connect(bobPhone);

    Delivery delivery =
        deliveries.publish(new Target.Users(List.of("alice", "bob")), notification());

    assertThat(delivery.queued()).containsExactly("alice");
    assertThat(delivery.perUser()).containsExactly(Map.entry("alice", 0), Map.entry("bob", 1));
    assertThat(bobPhone.received()).hasSize(1);
  }

  @Test
  void theNextConnectionGetsTheQueuedNotificationsFirstInOrder() {
    UUID first = sendToUser("alice");
    UUID second = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    Deliveries.Connected connected = connect(phone);
    UUID third = sendToUser("alice");

    assertThat(idsReceivedBy(phone)).containsExactly(first, second, third);
    assertThat(offsetsReceivedBy(phone, new StreamId.Inbox("alice"))).containsExactly(1L, 2L, 3L);
    assertThat(phone.received())
        .allSatisfy(
            m ->
                assertThat(m.position().orElseThrow().epoch())
                    .isEqualTo(inboxTop("alice").epoch()));
    assertThat(connected.resumed()).isFalse();
    assertThat(connected.replayed()).isEqualTo(2);
    assertThat(connected.inbox().offset()).isEqualTo(2);
  }

  @Test
  void aNotificationSentWhileTheDeviceConnectsArrivesAfterTheQueuedOnes() {
    UUID queued = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice");
    register(phone);

    // Registered, but its inbox is held: this one waits for the queued one.
    UUID meanwhile = sendToUser("alice");
    assertThat(phone.received()).isEmpty();
    deliveries.connect(phone, Optional.empty());

    assertThat(idsReceivedBy(phone)).containsExactly(queued, meanwhile);
    assertThat(offsetsReceivedBy(phone, new StreamId.Inbox("alice"))).containsExactly(1L, 2L);
  }

  @Test
  void whatANonAcknowledgingDeviceWasHandedIsNotOwedToTheNextConnection() {
    UUID queued = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice");
    connect(phone);
    UUID live = sendToUser("alice");
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");

    Deliveries.Connected second = connect(laptop);

    assertThat(idsReceivedBy(phone)).containsExactly(queued, live);
    assertThat(laptop.received()).as("Ara: delivered is done").isEmpty();
    assertThat(second.replayed()).isZero();
  }

  // ---- at-least-once for devices that acknowledge ----

  @Test
  void anUnacknowledgedNotificationIsOwedAgainToTheUsersNextConnection() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    UUID sent = sendToUser("alice");
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");

    connect(laptop);

    assertThat(idsReceivedBy(phone)).containsExactly(sent);
    assertThat(idsReceivedBy(laptop)).containsExactly(sent);
  }

  @Test
  void whatAConnectionReplaysToAnAcknowledgingDeviceStaysOwedUntilAcknowledged() {
    UUID queued = sendToUser("alice");
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");

    connect(laptop);

    assertThat(idsReceivedBy(phone)).containsExactly(queued);
    assertThat(idsReceivedBy(laptop)).containsExactly(queued);
  }

  @Test
  void anAcknowledgedNotificationIsNeverOwedAgain() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    UUID sent = sendToUser("alice");

    assertThat(deliveries.ack("alice", sent)).isTrue();
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice", true);
    connect(laptop);

    assertThat(laptop.received()).isEmpty();
    assertThat(store.acks().stats(clock.instant()).acknowledged()).isEqualTo(1);
  }

  @Test
  void aNotificationHandedToADeviceThatDoesNotAcknowledgeIsNotOwedAgain() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", false);
    connect(phone);
    sendToUser("alice");
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice", true);

    connect(laptop);

    assertThat(laptop.received()).isEmpty();
  }

  @Test
  void anAckByAnotherUserReturnsFalseAndChangesNothing() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    UUID sent = sendToUser("alice");

    assertThat(deliveries.ack("bob", sent)).isFalse();
    disconnect(phone);
    FakeDevice laptop = new FakeDevice("alice-laptop", "alice");
    connect(laptop);

    assertThat(idsReceivedBy(laptop)).as("still owed to alice").containsExactly(sent);
    assertThat(store.acks().stats(clock.instant()).acknowledged()).isZero();
  }

  @Test
  void anAckOfAChannelNotificationReturnsFalse() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice", true);
    connect(phone);
    deliveries.subscribe(phone, List.of("news"), Map.of());
    UUID sent = send(new Target.Channel("news"));

    assertThat(deliveries.ack("alice", sent)).isFalse();
    assertThat(idsReceivedBy(phone)).containsExactly(sent);
  }

  @Test
  void anAckOfANotificationNeverSentReturnsFalse() {
    assertThat(deliveries.ack("alice", UUID.randomUUID())).isFalse();
  }

  // ---- the inbox TTL ----

  @Test
  void aNotificationWithATtlExpiresFromTheQueueAtItsTtl() {
    sendToUser("alice", 30);
    UUID lasting = sendToUser("alice");
    clock.advance(Duration.ofSeconds(30));
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    connect(phone);

    assertThat(idsReceivedBy(phone)).containsExactly(lasting);
  }

  @Test
  void aNotificationsTtlReplacesTheQueueTtlEvenWhenLonger() {
    UUID lasting = sendToUser("alice", QUEUE_TTL.multipliedBy(2).toSeconds());
    sendToUser("alice");
    clock.advance(QUEUE_TTL.plusMinutes(1));
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    connect(phone);

    assertThat(idsReceivedBy(phone)).containsExactly(lasting);
  }

  @Test
  void withoutATtlTheQueueTtlApplies() {
    sendToUser("alice");
    clock.advance(QUEUE_TTL.dividedBy(2));
    UUID younger = sendToUser("alice");
    clock.advance(QUEUE_TTL.dividedBy(2));
    FakeDevice phone = new FakeDevice("alice-phone", "alice");

    connect(phone);

    assertThat(idsReceivedBy(phone))
        .as("the older one reached the queue TTL")
        .containsExactly(younger);
  }
}
