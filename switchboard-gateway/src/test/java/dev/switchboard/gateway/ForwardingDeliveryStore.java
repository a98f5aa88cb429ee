package dev.switchboard.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link DeliveryStore} that hands every call to another: a test store extends it and overrides
 * the one call it hooks, in a {@link Channels} or {@link InboxesOf} of its own.
 */
class ForwardingDeliveryStore implements DeliveryStore {

  protected final DeliveryStore delegate;

  ForwardingDeliveryStore(DeliveryStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public ChannelHistory channels() {
    return delegate.channels();
  }

  @Override
  public Inboxes inboxes() {
    return delegate.inboxes();
  }

  @Override
  public Acks acks() {
    return delegate.acks();
  }

  @Override
  public IdempotencyKeys idempotency() {
    return delegate.idempotency();
  }

  @Override
  public DeliveryLimits limits() {
    return delegate.limits();
  }

  /** The delegate's channel histories, call for call. */
  class Channels implements ChannelHistory {
    @Override
    public Position append(String channel, UUID notificationId, byte[] message, Instant now) {
      return delegate.channels().append(channel, notificationId, message, now);
    }

    @Override
    public Position position(String channel, Instant now) {
      return delegate.channels().position(channel, now);
    }

    @Override
    public Replay since(String channel, long offset, String epoch, Instant now) {
      return delegate.channels().since(channel, offset, epoch, now);
    }

    @Override
    public Totals totals(Instant now) {
      return delegate.channels().totals(now);
    }
  }

  /** The delegate's inboxes, call for call. */
  class InboxesOf implements Inboxes {
    @Override
    public Position append(
        String userId, UUID notificationId, byte[] message, Instant expiresAt, Instant now) {
      return delegate.inboxes().append(userId, notificationId, message, expiresAt, now);
    }

    @Override
    public void delivered(String userId, long offset, boolean awaitingAck, Instant now) {
      delegate.inboxes().delivered(userId, offset, awaitingAck, now);
    }

    @Override
    public List<StreamEntry> owed(String userId, Instant now) {
      return delegate.inboxes().owed(userId, now);
    }

    @Override
    public Position position(String userId, Instant now) {
      return delegate.inboxes().position(userId, now);
    }

    @Override
    public Replay since(String userId, long offset, String epoch, Instant now) {
      return delegate.inboxes().since(userId, offset, epoch, now);
    }

    @Override
    public Optional<State> ack(String userId, UUID notificationId, Instant now) {
      return delegate.inboxes().ack(userId, notificationId, now);
    }

    @Override
    public Totals totals(Instant now) {
      return delegate.inboxes().totals(now);
    }
  }
}
