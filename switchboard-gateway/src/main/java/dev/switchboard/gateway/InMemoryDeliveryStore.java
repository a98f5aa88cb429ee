package dev.switchboard.gateway;

import java.util.Objects;

/** {@link DeliveryStore#inMemory}. */
final class InMemoryDeliveryStore implements DeliveryStore {

  private final DeliveryLimits limits;
  private final ChannelHistory channels;
  private final Inboxes inboxes;
  private final Acks acks;
  private final IdempotencyKeys idempotency;

  InMemoryDeliveryStore(DeliveryLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.channels = new InMemoryChannelHistory(limits);
    this.inboxes = new InMemoryInboxes(limits);
    this.acks = new InMemoryAcks(limits);
    this.idempotency = new InMemoryIdempotencyKeys(limits);
  }

  @Override
  public ChannelHistory channels() {
    return channels;
  }

  @Override
  public Inboxes inboxes() {
    return inboxes;
  }

  @Override
  public Acks acks() {
    return acks;
  }

  @Override
  public IdempotencyKeys idempotency() {
    return idempotency;
  }

  @Override
  public DeliveryLimits limits() {
    return limits;
  }
}
