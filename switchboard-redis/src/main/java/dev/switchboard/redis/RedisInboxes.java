package dev.switchboard.redis;

import static dev.switchboard.redis.RedisEngine.number;
import static dev.switchboard.redis.RedisEngine.utf8;

import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.Inboxes;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Replay;
import dev.switchboard.gateway.StreamEntry;
import dev.switchboard.gateway.StreamId;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link Inboxes} in Redis: each user's inbox a stream of {@code streams.lua} (kind {@code inbox})
 * whose entries carry their state; every method is one script. Reading (owed, delivered, ack) makes
 * no inbox but counts as a use of one that exists. Thread-safe: it keeps no state of its own.
 */
final class RedisInboxes implements Inboxes {

  private static final String[] NO_KEYS = new String[0];

  private final RedisEngine engine;
  private final RedisStreams streams;
  private final DeliveryLimits limits;

  RedisInboxes(RedisEngine engine, RedisStreams streams, DeliveryLimits limits) {
    this.engine = engine;
    this.streams = streams;
    this.limits = limits;
  }

  @Override
  public Position append(
      String userId, UUID notificationId, byte[] message, Instant expiresAt, Instant now) {
    StreamId id = new StreamId.Inbox(userId);
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(message, "message");
    List<Object> answer =
        streams.run(
            "append to an inbox",
            StreamScripts.APPEND_INBOX,
            utf8(streams.prefix()),
            utf8(userId),
            utf8(notificationId.toString()),
            message,
            RedisStreams.millis(expiresAt),
            RedisStreams.millis(now),
            number(limits.queueSize()),
            number(streams.maxStreams()),
            utf8(Position.newEpoch()),
            number(RedisDeliveryStore.inboxGcMillis(limits, expiresAt, now)));
    return new Position(id, RedisStreams.asLong(answer.get(0)), RedisStreams.asText(answer.get(1)));
  }

  @Override
  public void delivered(String userId, long offset, boolean awaitingAck, Instant now) {
    streams.run(
        "settle an inbox entry",
        StreamScripts.DELIVERED,
        utf8(streams.prefix()),
        utf8(new StreamId.Inbox(userId).userId()),
        RedisStreams.millis(now),
        number(streams.gcMillis()),
        number(offset),
        utf8(awaitingAck ? "1" : "0"));
  }

  @Override
  public List<StreamEntry> owed(String userId, Instant now) {
    List<Object> answer =
        streams.run(
            "read an inbox's owed entries",
            StreamScripts.OWED,
            utf8(streams.prefix()),
            utf8(new StreamId.Inbox(userId).userId()),
            RedisStreams.millis(now),
            number(streams.gcMillis()));
    return RedisStreams.entries(answer, 0);
  }

  @Override
  public Position position(String userId, Instant now) {
    return streams.position(userId, now);
  }

  @Override
  public Replay since(String userId, long offset, String epoch, Instant now) {
    return streams.since(userId, offset, epoch, now);
  }

  @Override
  public Optional<State> ack(String userId, UUID notificationId, Instant now) {
    Objects.requireNonNull(notificationId, "notificationId");
    byte[] before =
        engine.call(
            "acknowledge an inbox entry",
            c ->
                RedisEngine.<byte[]>eval(
                    c,
                    StreamScripts.ACK,
                    ScriptOutputType.VALUE,
                    NO_KEYS,
                    utf8(streams.prefix()),
                    utf8(new StreamId.Inbox(userId).userId()),
                    RedisStreams.millis(now),
                    number(streams.gcMillis()),
                    utf8(notificationId.toString())));
    return switch (RedisStreams.asText(before)) {
      case "q" -> Optional.of(State.QUEUED);
      case "w" -> Optional.of(State.AWAITING_ACK);
      case "d" -> Optional.of(State.DONE);
      default -> Optional.empty();
    };
  }

  @Override
  public Totals totals(Instant now) {
    long[] t = streams.totals(now);
    return new Totals(t[0], t[1], t[2], t[3], t[5], t[6]);
  }
}
