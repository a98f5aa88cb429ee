package dev.switchboard.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Each user's inbox: the ordered stream of the notifications sent to that user, which is also the
 * offline queue and the record of what waits for an ACK. Part of a {@link DeliveryStore}.
 *
 * <p>An entry is {@linkplain State#QUEUED queued} when appended. A delivery attempt settles it
 * ({@link #delivered}): {@linkplain State#DONE done} when no device that reached it acknowledges
 * (Ara's behaviour), {@linkplain State#AWAITING_ACK awaiting an ACK} when one does, until {@link
 * #ack}. A user's next connection is {@linkplain #owed owed} the queued and the awaiting entries.
 * Every entry is forgotten at its expiry; a user keeps at most {@link DeliveryLimits#queueSize()}
 * entries (the oldest goes first), and at most {@link DeliveryLimits#queueMaxUsers()} users have an
 * inbox (the least recently used one goes first).
 *
 * <p>Every method takes the current time instead of reading a clock. Thread-safe; the appends to
 * one inbox are ordered, and each gets the next offset.
 */
public interface Inboxes {

  /** What an entry is waiting for. */
  enum State {
    /** No device took it yet: the user's next connection gets it. */
    QUEUED,
    /** A device that acknowledges got it and has not acknowledged: the next connection gets it. */
    AWAITING_ACK,
    /** Delivered to a device that does not acknowledge, or acknowledged: kept only as history. */
    DONE
  }

  /**
   * Appends a {@link State#QUEUED} entry to {@code userId}'s inbox, forgetting the oldest entry
   * when the inbox is full.
   *
   * @return the new top: the offset given to this notification and the inbox's epoch
   */
  Position append(
      String userId, UUID notificationId, byte[] message, Instant expiresAt, Instant now);

  /**
   * Settles entry {@code offset} after a device took it: {@link State#AWAITING_ACK} when {@code
   * awaitingAck}, else {@link State#DONE} unless it already awaits an ACK. Never makes an entry
   * queued again; an entry already forgotten or acknowledged is left alone.
   */
  void delivered(String userId, long offset, boolean awaitingAck, Instant now);

  /** What the user's next connection gets first: queued and awaiting entries, in offset order. */
  List<StreamEntry> owed(String userId, Instant now);

  /** Where {@code userId}'s inbox stands (offset 0 and a fresh epoch when it has none). */
  Position position(String userId, Instant now);

  /** Everything after {@code offset} of {@code epoch}, as {@link ChannelHistory#since}. */
  Replay since(String userId, long offset, String epoch, Instant now);

  /**
   * Acknowledges {@code notificationId} in {@code userId}'s inbox: it is done and never owed again.
   *
   * @return the entry's state before, or empty when the inbox holds no such entry
   */
  Optional<State> ack(String userId, UUID notificationId, Instant now);

  /** What is kept now, and what was lost. */
  Totals totals(Instant now);

  /**
   * @param users users with an inbox
   * @param entries entries kept over all inboxes
   * @param queued entries no device took yet
   * @param awaitingAck entries waiting for an ACK
   * @param expired queued or awaiting entries forgotten at their expiry, since start
   * @param dropped queued or awaiting entries pushed out by a full inbox or a full store, since
   *     start
   */
  record Totals(
      long users, long entries, long queued, long awaitingAck, long expired, long dropped) {}
}
