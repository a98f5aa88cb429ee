package dev.switchboard.gateway;

/**
 * Everything the delivery guarantees keep: channel histories, user inboxes (the offline queue and
 * what waits for an ACK), ACK statistics and idempotency keys. {@link #inMemory} is the embedded
 * default and forgets everything on restart, which clients see as new epochs. A shared engine
 * (Redis) must keep the same semantics: order, offsets, TTLs, bounds and atomicity, as the contract
 * tests of this module ({@code DeliveryStoreContract}) check for both.
 *
 * <p>The in-memory store never blocks. A networked one may: callers use it from virtual threads or
 * other threads that may block, never from an event loop.
 */
public interface DeliveryStore {

  ChannelHistory channels();

  Inboxes inboxes();

  Acks acks();

  IdempotencyKeys idempotency();

  DeliveryLimits limits();

  /** The embedded store, bounded by {@code limits}. */
  static DeliveryStore inMemory(DeliveryLimits limits) {
    return new InMemoryDeliveryStore(limits);
  }
}
