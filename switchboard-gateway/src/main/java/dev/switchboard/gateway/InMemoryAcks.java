package dev.switchboard.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@link Acks} in memory. Deliveries are tracked in the order they happen, and all wait the same
 * timeout, so they expire from the head of one queue. One lock.
 */
final class InMemoryAcks implements Acks {

  private record Key(String userId, UUID notificationId) {}

  /** A tracked delivery; {@code ackedAt} is set once acknowledged. */
  private static final class Tracked {
    final Key key;
    final Instant deliveredAt;
    Instant ackedAt;

    /** Forgotten at its timeout; an entry of {@code acked} may still point at it. */
    boolean gone;

    Tracked(Key key, Instant deliveredAt) {
      this.key = key;
      this.deliveredAt = deliveredAt;
    }
  }

  private final Duration timeout;
  private final int maxPending;

  /** Guarded by {@code this}: every tracked delivery within its timeout, oldest first. */
  private final ArrayDeque<Tracked> byAge = new ArrayDeque<>();

  private final Map<Key, Tracked> byKey = new HashMap<>();

  /** Acknowledged deliveries still kept, oldest ACK first. */
  private final ArrayDeque<Tracked> acked = new ArrayDeque<>();

  private long pending;
  private long acknowledged;
  private long expired;
  private long untracked;
  private double totalAckMillis;

  InMemoryAcks(DeliveryLimits limits) {
    this.timeout = limits.ackTimeout();
    this.maxPending = limits.acksMaxPending();
  }

  @Override
  public synchronized void delivered(String userId, UUID notificationId, Instant now) {
    expire(now);
    Key key = new Key(userId, notificationId);
    if (byKey.containsKey(key)) {
      return;
    }
    // Acknowledged deliveries are kept until their timeout too, so that a repeated ACK is
    // recognised; at the bound they make room first, oldest first.
    while (byKey.size() >= maxPending && !acked.isEmpty()) {
      Tracked old = acked.removeFirst();
      if (!old.gone) {
        old.gone = true;
        byKey.remove(old.key, old);
      }
    }
    if (byKey.size() >= maxPending) {
      untracked++;
      return;
    }
    Tracked tracked = new Tracked(key, now);
    byKey.put(key, tracked);
    byAge.addLast(tracked);
    pending++;
  }

  @Override
  public synchronized Outcome ack(String userId, UUID notificationId, Instant now) {
    expire(now);
    Tracked tracked = byKey.get(new Key(userId, notificationId));
    if (tracked == null) {
      return Outcome.UNKNOWN;
    }
    if (tracked.ackedAt != null) {
      return Outcome.ALREADY_ACKNOWLEDGED;
    }
    tracked.ackedAt = now;
    acked.addLast(tracked);
    pending--;
    acknowledged++;
    totalAckMillis += Math.max(0, Duration.between(tracked.deliveredAt, now).toNanos() / 1e6);
    return Outcome.ACKNOWLEDGED;
  }

  @Override
  public synchronized Stats stats(Instant now) {
    expire(now);
    return new Stats(
        pending,
        acknowledged,
        expired,
        acknowledged == 0 ? 0 : totalAckMillis / acknowledged,
        untracked);
  }

  /**
   * Forgets deliveries whose timeout passed, counting the unacknowledged ones as expired (an
   * acknowledged one is kept until then, so that a repeated ACK is recognised).
   */
  private void expire(Instant now) {
    while (!byAge.isEmpty() && !byAge.peekFirst().deliveredAt.plus(timeout).isAfter(now)) {
      Tracked old = byAge.removeFirst();
      byKey.remove(old.key, old);
      old.gone = true;
      if (old.ackedAt == null) {
        pending--;
        expired++;
      }
    }
    while (!acked.isEmpty() && acked.peekFirst().gone) {
      acked.removeFirst();
    }
  }
}
