package dev.switchboard.gateway;

import java.time.Instant;
import java.util.UUID;

/**
 * Which users were handed which notification and have not acknowledged it yet, for Ara's ACK
 * statistics: a delivery waits {@link DeliveryLimits#ackTimeout()} (30 s by default) for its ACK,
 * then counts as expired. At most {@link DeliveryLimits#acksMaxPending()} deliveries are tracked at
 * once (waiting, or acknowledged within their timeout); beyond that new ones are not tracked
 * (counted). Part of a {@link DeliveryStore}.
 *
 * <p>Every method takes the current time instead of reading a clock. Thread-safe.
 */
public interface Acks {

  /** What an ACK did. */
  enum Outcome {
    /** It was waiting; now acknowledged. */
    ACKNOWLEDGED,
    /** It was acknowledged before (an ACK sent twice); nothing changes. */
    ALREADY_ACKNOWLEDGED,
    /** Nothing of that user waits for it: never sent to them, expired, or not tracked. */
    UNKNOWN
  }

  /** {@code notificationId} was handed to a device of {@code userId}; a second call is ignored. */
  void delivered(String userId, UUID notificationId, Instant now);

  /** {@code userId} acknowledges {@code notificationId}. */
  default Outcome ack(String userId, UUID notificationId, Instant now) {
    return acknowledge(userId, notificationId, now).outcome();
  }

  /**
   * {@link #ack}, telling also how long after its delivery the ACK came (for {@link
   * Outcome#ACKNOWLEDGED} alone).
   */
  Acked acknowledge(String userId, UUID notificationId, Instant now);

  /** What an ACK did, and its latency when it acknowledged a waiting delivery. */
  record Acked(Outcome outcome, java.util.Optional<java.time.Duration> latency) {
    static final Acked UNKNOWN = new Acked(Outcome.UNKNOWN, java.util.Optional.empty());
    static final Acked ALREADY =
        new Acked(Outcome.ALREADY_ACKNOWLEDGED, java.util.Optional.empty());
  }

  /** Ara's {@code GET /api/v1/stats/acks}, deliveries past their timeout counted as expired. */
  Stats stats(Instant now);

  /** {@link #stats(Instant)} of the deliveries to {@code tenant}'s users alone. */
  Stats stats(Tenant tenant, Instant now);

  /**
   * @param pending deliveries waiting for their ACK now
   * @param acknowledged ACKs received in time, since start
   * @param expired deliveries whose timeout passed without an ACK, since start
   * @param averageAckTimeMs mean time from delivery to ACK over the acknowledged ones (0 when none)
   * @param untracked deliveries not tracked because {@link DeliveryLimits#acksMaxPending()} were
   *     waiting
   */
  record Stats(
      long pending, long acknowledged, long expired, double averageAckTimeMs, long untracked) {}
}
