package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An SSE reconnect resuming after its last event: connecting from an inbox position replays what
 * followed it (and, to a device that acknowledges, what it has not acknowledged), and from another
 * epoch delivers what is owed instead. The store is the in-memory one.
 */
class DeliveriesResumeTest extends DeliveriesFixture {

  /**
   * Alice's phone received three notifications at inbox offsets 1..3, then left; one more queued.
   */
  private List<UUID> aliceReceivedThreeThenLeftAndOneMoreWasQueued() {
    FakeDevice phone = new FakeDevice("alice-phone", "alice");
    connect(phone);
    List<UUID> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(sendToUser("alice"));
    }
    disconnect(phone);
    sent.add(sendToUser("alice"));
    return sent;
  }

  @Test
  void connectingFromAnInboxPositionResumesAfterIt() {
    List<UUID> sent = aliceReceivedThreeThenLeftAndOneMoreWasQueued();
    Position lastEvent = withOffset(inboxTop("alice"), 1);
    FakeDevice browser = new FakeDevice("alice-browser", "alice");

    Deliveries.Connected connected = connect(browser, Optional.of(lastEvent));
    UUID live = sendToUser("alice");

    assertThat(connected.resumed()).isTrue();
    assertThat(connected.replayed()).isEqualTo(3);
    assertThat(connected.inbox().offset()).isEqualTo(4);
    assertThat(idsReceivedBy(browser)).containsExactly(sent.get(1), sent.get(2), sent.get(3), live);
    assertThat(offsetsReceivedBy(browser, new StreamId.Inbox("alice")))
        .containsExactly(2L, 3L, 4L, 5L);
  }

  @Test
  void anAcknowledgingDeviceThatResumesAlsoGetsWhatItReceivedBeforeTheIdAndDidNotAcknowledge() {
    FakeDevice browser = new FakeDevice("alice-browser", "alice", true);
    connect(browser);
    UUID acknowledged = sendToUser("alice");
    UUID unacknowledged = sendToUser("alice");
    UUID last = sendToUser("alice");
    deliveries.ack("alice", acknowledged);
    disconnect(browser);
    UUID whileAway = sendToUser("alice");
    Position lastEvent = withOffset(inboxTop("alice"), 2);
    FakeDevice reconnected = new FakeDevice("alice-browser-again", "alice", true);

    Deliveries.Connected connected = connect(reconnected, Optional.of(lastEvent));

    assertThat(connected.resumed()).isTrue();
    assertThat(idsReceivedBy(reconnected)).containsExactly(unacknowledged, last, whileAway);
    assertThat(offsetsReceivedBy(reconnected, new StreamId.Inbox("alice")))
        .containsExactly(2L, 3L, 4L);
  }

  @Test
  void connectingFromAForeignEpochDeliversWhatIsOwedInstead() {
    List<UUID> sent = aliceReceivedThreeThenLeftAndOneMoreWasQueued();
    Position foreign = new Position(new StreamId.Inbox("alice"), 1, "foreign0");
    FakeDevice browser = new FakeDevice("alice-browser", "alice");

    Deliveries.Connected connected = connect(browser, Optional.of(foreign));

    assertThat(connected.resumed()).isFalse();
    assertThat(connected.replayed()).isEqualTo(1);
    assertThat(idsReceivedBy(browser)).containsExactly(sent.get(3));
    assertThat(connected.inbox().epoch()).isEqualTo(inboxTop("alice").epoch());
  }
}
