package dev.switchboard.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link Inboxes} in memory: one lock over a {@link StreamTable}. */
final class InMemoryInboxes implements Inboxes {

  private final DeliveryLimits limits;
  private final StreamTable<String> inboxes;

  /** Owed entries lost at their expiry, and pushed out; guarded by {@code this}. */
  private long expired;

  private long dropped;

  InMemoryInboxes(DeliveryLimits limits) {
    this.limits = limits;
    this.inboxes =
        new StreamTable<>(
            limits.queueMaxUsers(), StreamId.Inbox::new, InMemoryInboxes::owesNothing);
  }

  @Override
  public synchronized Position append(
      String userId, UUID notificationId, byte[] message, Instant expiresAt, Instant now) {
    return open(userId, now)
        .append(
            notificationId, message, expiresAt, State.QUEUED, limits.queueSize(), this::pushedOut);
  }

  @Override
  public synchronized void delivered(String userId, long offset, boolean awaitingAck, Instant now) {
    InMemoryStream inbox = find(userId, now);
    InMemoryStream.Slot slot = inbox == null ? null : inbox.at(offset);
    if (slot == null || slot.acked || slot.state == State.AWAITING_ACK && !awaitingAck) {
      return;
    }
    slot.state = awaitingAck ? State.AWAITING_ACK : State.DONE;
  }

  @Override
  public synchronized List<StreamEntry> owed(String userId, Instant now) {
    List<StreamEntry> out = new ArrayList<>();
    InMemoryStream inbox = find(userId, now);
    if (inbox == null) {
      return out;
    }
    for (InMemoryStream.Slot slot : inbox.slots()) {
      if (slot.owed()) {
        out.add(slot.entry);
      }
    }
    return out;
  }

  @Override
  public synchronized Position position(String userId, Instant now) {
    return open(userId, now).position();
  }

  @Override
  public synchronized Replay since(String userId, long offset, String epoch, Instant now) {
    return open(userId, now).since(offset, epoch);
  }

  @Override
  public synchronized Optional<State> ack(String userId, UUID notificationId, Instant now) {
    InMemoryStream inbox = find(userId, now);
    InMemoryStream.Slot slot = inbox == null ? null : inbox.find(notificationId);
    if (slot == null) {
      return Optional.empty();
    }
    State before = slot.state;
    slot.state = State.DONE;
    slot.acked = true;
    return Optional.of(before);
  }

  @Override
  public synchronized Totals totals(Instant now) {
    long entries = 0;
    long queued = 0;
    long awaiting = 0;
    for (InMemoryStream inbox : inboxes.all()) {
      inbox.expire(now, this::expiredSlot);
      for (InMemoryStream.Slot slot : inbox.slots()) {
        entries++;
        queued += slot.state == State.QUEUED ? 1 : 0;
        awaiting += slot.state == State.AWAITING_ACK ? 1 : 0;
      }
    }
    return new Totals(inboxes.size(), entries, queued, awaiting, expired, dropped);
  }

  /** The user's inbox, expired entries gone, or null when there is none (reads make none). */
  private InMemoryStream find(String userId, Instant now) {
    Tenant.checkUserKey(userId);
    InMemoryStream inbox = inboxes.find(userId);
    if (inbox != null) {
      inbox.expire(now, this::expiredSlot);
    }
    return inbox;
  }

  private static boolean owesNothing(InMemoryStream inbox) {
    for (InMemoryStream.Slot slot : inbox.slots()) {
      if (slot.owed()) {
        return false;
      }
    }
    return true;
  }

  private InMemoryStream open(String userId, Instant now) {
    Tenant.checkUserKey(userId);
    InMemoryStream inbox =
        inboxes.open(
            userId,
            forgotten -> {
              // Entries already past their expiry were lost to it, not to the eviction.
              forgotten.expire(now, this::expiredSlot);
              forgotten.slots().forEach(this::pushedOut);
            });
    inbox.expire(now, this::expiredSlot);
    return inbox;
  }

  private void pushedOut(InMemoryStream.Slot slot) {
    if (slot.owed()) {
      dropped++;
    }
  }

  private void expiredSlot(InMemoryStream.Slot slot) {
    if (slot.owed()) {
      expired++;
    }
  }
}
