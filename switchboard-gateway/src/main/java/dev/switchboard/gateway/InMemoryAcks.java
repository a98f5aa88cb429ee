package dev.switchboard.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
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

  /** What {@link #stats} counts, for all deliveries or for one tenant's. */
  private static final class Counters {
    long pending;
    long acknowledged;
    long expired;
    long untracked;
    double totalAckMillis;

    Stats stats() {
      return new Stats(
          pending,
          acknowledged,
          expired,
          acknowledged == 0 ? 0 : totalAckMillis / acknowledged,
          untracked);
    }
  }

  private final Counters all = new Counters();

  /** By tenant id, each tenant's share of {@link #all}; a tenant is kept once it had a delivery. */
  private final Map<String, Counters> byTenant = new HashMap<>();

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
      all.untracked++;
      of(userId).untracked++;
      return;
    }
    Tracked tracked = new Tracked(key, now);
    byKey.put(key, tracked);
    byAge.addLast(tracked);
    all.pending++;
    of(userId).pending++;
  }

  private Counters of(String userId) {
    return byTenant.computeIfAbsent(Tenant.ofUser(userId).id(), t -> new Counters());
  }

  @Override
  public synchronized Acked acknowledge(String userId, UUID notificationId, Instant now) {
    expire(now);
    Tracked tracked = byKey.get(new Key(userId, notificationId));
    if (tracked == null) {
      return Acked.UNKNOWN;
    }
    if (tracked.ackedAt != null) {
      return Acked.ALREADY;
    }
    tracked.ackedAt = now;
    acked.addLast(tracked);
    Duration latency = Duration.between(tracked.deliveredAt, now);
    if (latency.isNegative()) {
      latency = Duration.ZERO;
    }
    double millis = latency.toNanos() / 1e6;
    for (Counters c : List.of(all, of(userId))) {
      c.pending--;
      c.acknowledged++;
      c.totalAckMillis += millis;
    }
    return new Acked(Outcome.ACKNOWLEDGED, java.util.Optional.of(latency));
  }

  @Override
  public synchronized Stats stats(Instant now) {
    expire(now);
    return all.stats();
  }

  @Override
  public synchronized Stats stats(Tenant tenant, Instant now) {
    expire(now);
    Counters counters = byTenant.get(tenant.id());
    return counters == null ? new Stats(0, 0, 0, 0, 0) : counters.stats();
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
        for (Counters c : List.of(all, of(old.key.userId()))) {
          c.pending--;
          c.expired++;
        }
      }
    }
    while (!acked.isEmpty() && acked.peekFirst().gone) {
      acked.removeFirst();
    }
  }
}
