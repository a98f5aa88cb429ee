package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.Inboxes.State;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Inboxes} does: each user's inbox counts offsets as a channel does; an entry is
 * owed (queued, or awaiting the ACK of a device that acknowledges) until done; an ACK answers the
 * state before; a full inbox, an entry's expiry and the user bound forget entries, counting those
 * still owed as dropped or expired. Run by {@link DeliveryStoreContract}.
 */
abstract class InboxesContract extends DeliveryStoreSection {

  @Test
  void eachInboxsOffsetsCountFromOneWithAnEpochOfItsOwn() {
    Inboxes inboxes = store().inboxes();

    Position before = inboxes.position("alice", at(0));
    List<Position> alice = appendAll(inboxes, "alice", 3, at(1));
    Position bob = appendAll(inboxes, "bob", 1, at(1)).getFirst();

    assertThat(before.offset()).isZero();
    assertThat(before.stream()).isEqualTo(new StreamId.Inbox("alice"));
    assertThat(alice).extracting(Position::offset).containsExactly(1L, 2L, 3L);
    assertThat(alice).extracting(Position::epoch).containsOnly(before.epoch());
    assertThat(bob.offset()).isEqualTo(1);
    assertThat(bob.stream()).isEqualTo(new StreamId.Inbox("bob"));
    assertThat(bob.epoch()).isNotEqualTo(before.epoch());
  }

  @Test
  void anAppendedEntryIsQueuedAndOwedWithTheBytesIdAndExpiryGiven() {
    DeliveryStore store = store();
    UUID id = UUID.randomUUID();
    Instant expiresAt = at(600);

    store.inboxes().append("alice", id, bytes("hello"), expiresAt, at(0));

    List<StreamEntry> owed = store.inboxes().owed("alice", at(1));
    assertThat(owed).hasSize(1);
    assertThat(owed.getFirst().offset()).isEqualTo(1);
    assertThat(owed.getFirst().notificationId()).isEqualTo(id);
    assertThat(owed.getFirst().message()).isEqualTo(bytes("hello"));
    assertThat(owed.getFirst().expiresAt()).isEqualTo(expiresAt);
    assertThat(store.inboxes().totals(at(1))).isEqualTo(new Inboxes.Totals(1, 1, 1, 0, 0, 0));
    assertThat(store.inboxes().owed("bob", at(1))).isEmpty();
  }

  @Test
  void anEntryDeliveredToADeviceThatDoesNotAcknowledgeIsDoneAndNoLongerOwed() {
    Inboxes inboxes = store().inboxes();
    UUID id = UUID.randomUUID();
    inboxes.append("alice", id, bytes("a"), at(600), at(0));

    inboxes.delivered("alice", 1, false, at(1));

    assertThat(inboxes.owed("alice", at(2))).isEmpty();
    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(1, 1, 0, 0, 0, 0));
    assertThat(inboxes.ack("alice", id, at(3))).contains(State.DONE);
  }

  @Test
  void anEntryDeliveredToADeviceThatAcknowledgesIsOwedUntilItsAck() {
    Inboxes inboxes = store().inboxes();
    UUID id = UUID.randomUUID();
    inboxes.append("alice", id, bytes("a"), at(600), at(0));

    inboxes.delivered("alice", 1, true, at(1));

    assertThat(offsets(inboxes.owed("alice", at(2)))).containsExactly(1L);
    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(1, 1, 0, 1, 0, 0));
    assertThat(inboxes.ack("alice", id, at(3))).contains(State.AWAITING_ACK);
    assertThat(inboxes.owed("alice", at(4))).isEmpty();
    assertThat(inboxes.totals(at(4))).isEqualTo(new Inboxes.Totals(1, 1, 0, 0, 0, 0));
  }

  @Test
  void aLaterDeliveryToADeviceThatDoesNotAcknowledgeLeavesTheEntryAwaitingItsAck() {
    Inboxes inboxes = store().inboxes();
    appendAll(inboxes, "alice", 1, at(0));

    inboxes.delivered("alice", 1, true, at(1));
    inboxes.delivered("alice", 1, false, at(2));

    assertThat(offsets(inboxes.owed("alice", at(3)))).containsExactly(1L);
    assertThat(inboxes.totals(at(3)).awaitingAck()).isEqualTo(1);
  }

  @Test
  void aDeliveryAfterTheAckNeverMakesTheEntryOwedAgain() {
    Inboxes inboxes = store().inboxes();
    UUID acked = UUID.randomUUID();
    UUID ackedWhileQueued = UUID.randomUUID();
    inboxes.append("alice", acked, bytes("a"), at(600), at(0));
    inboxes.append("alice", ackedWhileQueued, bytes("b"), at(600), at(0));
    inboxes.delivered("alice", 1, true, at(1));
    inboxes.ack("alice", acked, at(2));
    assertThat(inboxes.ack("alice", ackedWhileQueued, at(2))).contains(State.QUEUED);

    inboxes.delivered("alice", 1, true, at(3));
    inboxes.delivered("alice", 1, false, at(3));
    inboxes.delivered("alice", 2, true, at(3));

    assertThat(inboxes.owed("alice", at(4))).isEmpty();
    assertThat(inboxes.totals(at(4))).isEqualTo(new Inboxes.Totals(1, 2, 0, 0, 0, 0));
    assertThat(inboxes.ack("alice", acked, at(5))).contains(State.DONE);
  }

  @Test
  void aDeliveryOfAnOffsetTheInboxDoesNotHoldChangesNothing() {
    Inboxes inboxes = store().inboxes();
    appendAll(inboxes, "alice", 1, at(0));

    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("alice", 0, false, at(1));
    inboxes.delivered("bob", 1, false, at(1));

    assertThat(offsets(inboxes.owed("alice", at(2)))).containsExactly(1L);
    assertThat(inboxes.totals(at(2)).queued()).isEqualTo(1);
  }

  @Test
  void owedEntriesAreTheQueuedAndAwaitingOnesInOffsetOrder() {
    Inboxes inboxes = store(limits().queueSize(10)).inboxes();
    appendAll(inboxes, "alice", 5, at(0));

    inboxes.delivered("alice", 4, true, at(1));
    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("alice", 1, true, at(1));

    List<StreamEntry> owed = inboxes.owed("alice", at(2));
    assertThat(offsets(owed)).containsExactly(1L, 3L, 4L, 5L);
    assertThat(texts(owed)).containsExactly("alice-1", "alice-3", "alice-4", "alice-5");
    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(1, 5, 2, 2, 0, 0));
  }

  @Test
  void anAckAnswersTheStateBeforeAndNothingForAnUnknownIdOrAnotherUsersEntry() {
    Inboxes inboxes = store().inboxes();
    UUID queued = UUID.randomUUID();
    UUID awaiting = UUID.randomUUID();
    UUID bobs = UUID.randomUUID();
    inboxes.append("alice", queued, bytes("q"), at(600), at(0));
    inboxes.append("alice", awaiting, bytes("w"), at(600), at(0));
    inboxes.append("bob", bobs, bytes("b"), at(600), at(0));
    inboxes.delivered("alice", 2, true, at(1));

    assertThat(inboxes.ack("alice", UUID.randomUUID(), at(2))).isEmpty();
    assertThat(inboxes.ack("alice", bobs, at(2))).isEmpty();
    assertThat(inboxes.ack("carol", queued, at(2))).isEmpty();
    assertThat(inboxes.ack("alice", awaiting, at(2))).contains(State.AWAITING_ACK);
    assertThat(inboxes.ack("alice", awaiting, at(3))).contains(State.DONE);
    assertThat(inboxes.ack("alice", queued, at(3))).contains(State.QUEUED);
    // bob's entry is untouched by alice's ack of its id.
    assertThat(offsets(inboxes.owed("bob", at(4)))).containsExactly(1L);
  }

  @Test
  void aFullInboxForgetsItsOldestEntryCountedDroppedOnlyWhenItWasOwed() {
    Inboxes inboxes = store(limits().queueSize(2)).inboxes();
    appendAll(inboxes, "alice", 2, at(0));
    inboxes.delivered("alice", 1, false, at(1)); // done: its loss costs nothing

    inboxes.append("alice", UUID.randomUUID(), bytes("alice-3"), at(600), at(2));
    assertThat(inboxes.totals(at(2)).dropped()).isZero();

    inboxes.append("alice", UUID.randomUUID(), bytes("alice-4"), at(600), at(3)); // 2 was queued
    Inboxes.Totals totals = inboxes.totals(at(3));
    assertThat(totals.dropped()).isEqualTo(1);
    assertThat(totals.entries()).isEqualTo(2);
    assertThat(texts(inboxes.owed("alice", at(3)))).containsExactly("alice-3", "alice-4");

    inboxes.delivered("alice", 3, true, at(4));
    appendAll(inboxes, "alice", 1, at(5)); // 3 was awaiting its ACK
    assertThat(inboxes.totals(at(5)).dropped()).isEqualTo(2);
  }

  @Test
  void anInboxEntryIsForgottenAtItsExpiryCountedExpiredOnlyWhenItWasOwed() {
    Inboxes inboxes = store(limits().queueSize(10)).inboxes();
    inboxes.append("alice", UUID.randomUUID(), bytes("queued"), at(100), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("done"), at(100), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("awaiting"), at(200), at(0));
    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("alice", 3, true, at(1));

    assertThat(texts(inboxes.owed("alice", at(100).minusMillis(1))))
        .containsExactly("queued", "awaiting");
    assertThat(texts(inboxes.owed("alice", at(100)))).containsExactly("awaiting");
    assertThat(inboxes.totals(at(100))).isEqualTo(new Inboxes.Totals(1, 1, 0, 1, 1, 0));
    assertThat(inboxes.owed("alice", at(200))).isEmpty();
    assertThat(inboxes.totals(at(200))).isEqualTo(new Inboxes.Totals(1, 0, 0, 0, 2, 0));
  }

  @Test
  void entriesExpireEachAtItsOwnTimeAndAGapStopsRecoveryAcrossIt() {
    Inboxes inboxes = store(limits().queueSize(10)).inboxes();
    Position first = inboxes.append("alice", UUID.randomUUID(), bytes("long"), at(500), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("short"), at(50), at(0));
    Position top = inboxes.append("alice", UUID.randomUUID(), bytes("mid"), at(300), at(0));

    assertThat(texts(inboxes.owed("alice", at(60)))).containsExactly("long", "mid");
    Replay acrossGap = inboxes.since("alice", 1, first.epoch(), at(60));
    Replay afterGap = inboxes.since("alice", 2, first.epoch(), at(60));
    assertThat(acrossGap.recovered()).isFalse();
    assertThat(acrossGap.entries()).isEmpty();
    assertThat(acrossGap.top()).isEqualTo(top);
    assertThat(afterGap.recovered()).isTrue();
    assertThat(texts(afterGap.entries())).containsExactly("mid");
    assertThat(texts(inboxes.owed("alice", at(300)))).containsExactly("long");
    assertThat(inboxes.totals(at(300)).expired()).isEqualTo(2);
  }

  @Test
  void inboxSinceRecoversExactlyWhatFollowsAsForChannels() {
    Inboxes inboxes = store(limits().queueSize(3)).inboxes();
    List<Position> tops = appendAll(inboxes, "alice", 3, at(0));
    Position top = tops.getLast();
    String bobsEpoch = appendAll(inboxes, "bob", 1, at(0)).getFirst().epoch();
    inboxes.delivered("alice", 2, false, at(1)); // done entries are history still

    Replay fromOne = inboxes.since("alice", 1, top.epoch(), at(2));
    assertThat(fromOne.recovered()).isTrue();
    assertThat(fromOne.top()).isEqualTo(top);
    assertThat(offsets(fromOne.entries())).containsExactly(2L, 3L);
    assertThat(texts(fromOne.entries())).containsExactly("alice-2", "alice-3");

    Replay atTop = inboxes.since("alice", 3, top.epoch(), at(2));
    assertThat(atTop.recovered()).isTrue();
    assertThat(atTop.entries()).isEmpty();

    assertThat(inboxes.since("alice", 1, bobsEpoch, at(2)).recovered()).isFalse();
    assertThat(inboxes.since("alice", 4, top.epoch(), at(2)).recovered()).isFalse();

    appendAll(inboxes, "alice", 1, at(3)); // pushes out offset 1
    Replay pushedOut = inboxes.since("alice", 0, top.epoch(), at(4));
    assertThat(pushedOut.recovered()).isFalse();
    assertThat(pushedOut.entries()).isEmpty();
    assertThat(pushedOut.top().offset()).isEqualTo(4);
    assertThat(offsets(inboxes.since("alice", 1, top.epoch(), at(4)).entries()))
        .containsExactly(2L, 3L, 4L);
  }

  @Test
  void theLeastRecentlyUsedInboxIsForgottenBeyondQueueMaxUsersItsOwedEntriesCountedDropped() {
    Inboxes inboxes = store(limits().queueMaxUsers(2)).inboxes();
    Position alice = appendAll(inboxes, "alice", 1, at(0)).getLast();
    Position bob = appendAll(inboxes, "bob", 3, at(1)).getLast();
    inboxes.delivered("bob", 1, false, at(2)); // done: not owed, not counted
    inboxes.delivered("bob", 2, true, at(2));
    inboxes.owed("alice", at(3)); // alice is now more recent than bob

    appendAll(inboxes, "carol", 1, at(4));

    assertThat(inboxes.position("alice", at(5))).isEqualTo(alice);
    Inboxes.Totals totals = inboxes.totals(at(5));
    assertThat(totals.users()).isEqualTo(2);
    assertThat(totals.entries()).isEqualTo(2);
    assertThat(totals.dropped()).isEqualTo(2);
    assertThat(inboxes.owed("bob", at(6))).isEmpty();
    Position bobAgain = inboxes.position("bob", at(6));
    assertThat(bobAgain.offset()).isZero();
    assertThat(bobAgain.epoch()).isNotEqualTo(bob.epoch());
    assertThat(inboxes.since("bob", 3, bob.epoch(), at(6)).recovered()).isFalse();
  }

  @Test
  void anInboxThatOwesNothingIsForgottenBeforeOneThatOwes() {
    Inboxes inboxes = store(limits().queueMaxUsers(2)).inboxes();
    Position alice = appendAll(inboxes, "alice", 1, at(0)).getLast(); // queued: owed
    appendAll(inboxes, "bob", 1, at(1));
    inboxes.delivered("bob", 1, false, at(1)); // bob owes nothing, yet is more recent

    appendAll(inboxes, "carol", 1, at(2));

    assertThat(inboxes.position("alice", at(3))).isEqualTo(alice);
    assertThat(inboxes.owed("alice", at(3))).hasSize(1);
    assertThat(inboxes.totals(at(3)).dropped()).isZero();
  }

  @Test
  void readingAUsersOwedEntriesOrAckingMakesNoInbox() {
    Inboxes inboxes = store().inboxes();

    assertThat(inboxes.owed("nobody", at(0))).isEmpty();
    assertThat(inboxes.ack("nobody", UUID.randomUUID(), at(0))).isEmpty();
    inboxes.delivered("nobody", 1, true, at(0));

    assertThat(inboxes.totals(at(1)).users()).isZero();
  }

  @Test
  void aForgottenInboxsEntriesAlreadyPastTheirExpiryCountExpiredNotDropped() {
    Inboxes inboxes = store(limits().queueMaxUsers(1)).inboxes();
    inboxes.append("alice", UUID.randomUUID(), bytes("stale"), at(10), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("fresh"), at(600), at(0));

    appendAll(inboxes, "bob", 1, at(20)); // alice goes; her first entry expired at 10

    Inboxes.Totals totals = inboxes.totals(at(20));
    assertThat(totals.expired()).isEqualTo(1);
    assertThat(totals.dropped()).isEqualTo(1);
  }

  @Test
  void inboxTotalsCountUsersEntriesQueuedAndAwaiting() {
    Inboxes inboxes = store().inboxes();
    assertThat(inboxes.totals(at(0))).isEqualTo(new Inboxes.Totals(0, 0, 0, 0, 0, 0));

    appendAll(inboxes, "alice", 3, at(0));
    appendAll(inboxes, "bob", 2, at(0));
    inboxes.delivered("alice", 1, true, at(1));
    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("bob", 2, true, at(1));

    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(2, 5, 2, 2, 0, 0));
  }
}
