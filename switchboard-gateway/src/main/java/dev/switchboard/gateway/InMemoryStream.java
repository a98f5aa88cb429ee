package dev.switchboard.gateway;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One stream of the in-memory store: its epoch, its last offset and the entries it keeps, each with
 * an {@link Inboxes.State} (channels leave every entry {@link Inboxes.State#DONE}). Not
 * thread-safe: its store guards it.
 */
final class InMemoryStream {

  /** An entry and what it waits for. */
  static final class Slot {
    final StreamEntry entry;
    Inboxes.State state;

    /** Set once acknowledged: no later delivery report makes it wait for an ACK again. */
    boolean acked;

    Slot(StreamEntry entry, Inboxes.State state) {
      this.entry = entry;
      this.state = state;
    }

    /** True while a connection is owed this entry (it was never taken, or waits for an ACK). */
    boolean owed() {
      return state != Inboxes.State.DONE;
    }
  }

  private final StreamId id;
  private final String epoch = Position.newEpoch();
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private long top;

  InMemoryStream(StreamId id) {
    this.id = id;
  }

  Position position() {
    return new Position(id, top, epoch);
  }

  /**
   * Appends with the next offset, first forgetting the oldest entries beyond {@code maxSize - 1};
   * each forgotten slot goes to {@code forgotten}.
   */
  Position append(
      UUID notificationId,
      byte[] message,
      Instant expiresAt,
      Inboxes.State state,
      int maxSize,
      Consumer<Slot> forgotten) {
    while (slots.size() >= maxSize) {
      forgotten.accept(slots.removeFirst());
    }
    top++;
    slots.addLast(new Slot(new StreamEntry(top, notificationId, message, expiresAt), state));
    return position();
  }

  /** Forgets every entry whose expiry is at or before {@code now}; each goes to {@code expired}. */
  void expire(Instant now, Consumer<Slot> expired) {
    Iterator<Slot> it = slots.iterator();
    while (it.hasNext()) {
      Slot slot = it.next();
      if (!slot.entry.expiresAt().isAfter(now)) {
        it.remove();
        expired.accept(slot);
      }
    }
  }

  /**
   * Everything after {@code offset} of {@code epoch}, when this stream still holds all of it: the
   * kept entries after {@code offset} must be exactly {@code offset + 1 .. top}.
   */
  Replay since(long offset, String epoch) {
    if (!this.epoch.equals(epoch) || offset < 0 || offset > top) {
      return new Replay(false, List.of(), position());
    }
    List<StreamEntry> after = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.entry.offset() > offset) {
        after.add(slot.entry);
      }
    }
    boolean whole = after.size() == top - offset;
    return new Replay(whole, whole ? after : List.of(), position());
  }

  /** The slot with {@code offset}, or null when it is not kept. */
  Slot at(long offset) {
    for (Slot slot : slots) {
      if (slot.entry.offset() == offset) {
        return slot;
      }
    }
    return null;
  }

  /** The slot of {@code notificationId}, or null when it is not kept. */
  Slot find(UUID notificationId) {
    for (Slot slot : slots) {
      if (slot.entry.notificationId().equals(notificationId)) {
        return slot;
      }
    }
    return null;
  }

  Iterable<Slot> slots() {
    return slots;
  }

  int size() {
    return slots.size();
  }
}
