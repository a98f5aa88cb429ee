package dev.switchboard.gateway;

import java.time.Instant;
import java.util.UUID;

/** {@link ChannelHistory} in memory: one lock over a {@link StreamTable}. */
final class InMemoryChannelHistory implements ChannelHistory {

  private final DeliveryLimits limits;
  private final StreamTable<String> streams;

  InMemoryChannelHistory(DeliveryLimits limits) {
    this.limits = limits;
    this.streams =
        new StreamTable<>(limits.historyMaxChannels(), StreamId.Channel::new, stream -> true);
  }

  @Override
  public synchronized Position append(
      String channel, UUID notificationId, byte[] message, Instant now) {
    return open(channel, now)
        .append(
            notificationId,
            message,
            now.plus(limits.historyTtl()),
            Inboxes.State.DONE,
            limits.historySize(),
            slot -> {});
  }

  @Override
  public synchronized Position position(String channel, Instant now) {
    return open(channel, now).position();
  }

  @Override
  public synchronized Replay since(String channel, long offset, String epoch, Instant now) {
    return open(channel, now).since(offset, epoch);
  }

  @Override
  public synchronized Totals totals(Instant now) {
    long entries = 0;
    for (InMemoryStream stream : streams.all()) {
      stream.expire(now, slot -> {});
      entries += stream.size();
    }
    return new Totals(streams.size(), entries, streams.evicted());
  }

  private InMemoryStream open(String channel, Instant now) {
    Tenant.checkChannelKey(channel);
    InMemoryStream stream = streams.open(channel, forgotten -> {});
    stream.expire(now, slot -> {});
    return stream;
  }
}
