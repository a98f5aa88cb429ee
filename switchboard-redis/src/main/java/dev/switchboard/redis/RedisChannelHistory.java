package dev.switchboard.redis;

import static dev.switchboard.redis.RedisEngine.number;
import static dev.switchboard.redis.RedisEngine.utf8;

import dev.switchboard.gateway.ChannelHistory;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Replay;
import dev.switchboard.gateway.StreamId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@link ChannelHistory} in Redis: each channel a stream of {@code streams.lua} (kind {@code
 * channel}); every method is one script, so appends to one channel are ordered across nodes.
 * Thread-safe: it keeps no state of its own.
 */
final class RedisChannelHistory implements ChannelHistory {

  private final RedisStreams streams;
  private final DeliveryLimits limits;

  RedisChannelHistory(RedisStreams streams, DeliveryLimits limits) {
    this.streams = streams;
    this.limits = limits;
  }

  @Override
  public Position append(String channel, UUID notificationId, byte[] message, Instant now) {
    StreamId id = new StreamId.Channel(channel);
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(message, "message");
    List<Object> answer =
        streams.run(
            "append to a channel's history",
            StreamScripts.APPEND_CHANNEL,
            utf8(streams.prefix()),
            utf8(channel),
            utf8(notificationId.toString()),
            message,
            RedisStreams.millis(now),
            number(limits.historyTtl().toMillis()),
            number(limits.historySize()),
            number(streams.maxStreams()),
            utf8(Position.newEpoch()),
            number(streams.gcMillis()));
    return new Position(id, RedisStreams.asLong(answer.get(0)), RedisStreams.asText(answer.get(1)));
  }

  @Override
  public Position position(String channel, Instant now) {
    return streams.position(channel, now);
  }

  @Override
  public Replay since(String channel, long offset, String epoch, Instant now) {
    return streams.since(channel, offset, epoch, now);
  }

  @Override
  public Totals totals(Instant now) {
    long[] t = streams.totals(now);
    return new Totals(t[0], t[1], t[4]);
  }
}
