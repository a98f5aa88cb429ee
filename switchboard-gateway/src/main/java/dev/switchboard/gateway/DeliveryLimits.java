package dev.switchboard.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a {@link DeliveryStore} keeps, and for how long. Every structure is bounded.
 *
 * @param historySize notifications kept per channel (default 100)
 * @param historyTtl how long a channel keeps a notification (default 10 minutes)
 * @param historyMaxChannels channels with a history at once (default 10,000); beyond, the least
 *     recently used channel's history is forgotten and its epoch changes
 * @param queueSize entries kept per user inbox (default 100, Ara's); the oldest goes first
 * @param queueTtl how long an inbox keeps a notification without a TTL of its own (default 1 hour,
 *     Ara's); a notification's {@code ttl} replaces it
 * @param queueMaxUsers users with an inbox at once (default 10,000); beyond, the least recently
 *     used inbox is forgotten
 * @param ackTimeout how long a delivery waits for its ACK before it counts as expired (default 30
 *     s, Ara's)
 * @param acksMaxPending deliveries waiting for an ACK at once (default 100,000)
 * @param idempotencyTtl how long a send's idempotency key and answer are kept (default 5 minutes)
 * @param idempotencyMaxKeys keys kept at once (default 100,000)
 */
public record DeliveryLimits(
    int historySize,
    Duration historyTtl,
    int historyMaxChannels,
    int queueSize,
    Duration queueTtl,
    int queueMaxUsers,
    Duration ackTimeout,
    int acksMaxPending,
    Duration idempotencyTtl,
    int idempotencyMaxKeys) {

  public static final DeliveryLimits DEFAULTS =
      new DeliveryLimits(
          100,
          Duration.ofMinutes(10),
          10_000,
          100,
          Duration.ofHours(1),
          10_000,
          Duration.ofSeconds(30),
          100_000,
          Duration.ofMinutes(5),
          100_000);

  public DeliveryLimits {
    positive("history size", historySize);
    positive("history TTL", historyTtl);
    positive("history max channels", historyMaxChannels);
    positive("offline queue size", queueSize);
    positive("offline queue TTL", queueTtl);
    positive("offline queue max users", queueMaxUsers);
    positive("ACK timeout", ackTimeout);
    positive("ACKs max pending", acksMaxPending);
    positive("idempotency TTL", idempotencyTtl);
    positive("idempotency max keys", idempotencyMaxKeys);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /**
   * How long a user's inbox keeps {@code notification}: its own {@code ttl}, else {@link
   * #queueTtl()}. Every engine's inbox appends use this.
   */
  public Duration inboxTtl(Notification notification) {
    return notification.metadata().ttlSeconds().isPresent()
        ? Duration.ofSeconds(notification.metadata().ttlSeconds().getAsLong())
        : queueTtl;
  }
}
