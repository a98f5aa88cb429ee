package dev.switchboard.redis;

import static dev.switchboard.redis.RedisEngine.number;
import static dev.switchboard.redis.RedisEngine.utf8;

import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Publication;
import dev.switchboard.gateway.StreamId;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The broker's one atomic step: append a publication to each of its streams (the delivery store's
 * own {@code append_channel} and {@code append_inbox} of {@code streams.lua}, so the offsets are
 * the store's) and publish it, with the positions it got, to every node. Redis runs scripts one at
 * a time, so publications reach every subscriber in the order their offsets were taken.
 */
final class PublishScript {

  /**
   * ARGV: prefix, now, id, message, header, channel to publish on, history ttl, history size,
   * history max channels, queue size, queue max users, channel gc ms, inbox expiry, inbox gc ms,
   * the nodes' heartbeat key, the oldest heartbeat of a live node (ms), then the count of streams
   * and, for each, its kind ({@code c} or {@code u}), its name and a new epoch. Answers the
   * positions as published ({@code offset:epoch;...}), a newline, and the live nodes' ids joined by
   * commas: the nodes whose answers the send waits for, read in the same step as the publish.
   */
  static final LuaScript SCRIPT =
      StreamScripts.compose(
          "publish",
          """
          local positions = {}
          local count = tonumber(ARGV[17])
          for i = 0, count - 1 do
            local kind, name, epoch = ARGV[18 + 3 * i], ARGV[19 + 3 * i], ARGV[20 + 3 * i]
            local top
            if kind == 'c' then
              top = append_channel(ARGV[1], name, ARGV[3], ARGV[4], ARGV[2], ARGV[7], ARGV[8],
                ARGV[9], epoch, ARGV[12])
            else
              top = append_inbox(ARGV[1], name, ARGV[3], ARGV[4], ARGV[13], ARGV[2], ARGV[10],
                ARGV[11], epoch, ARGV[14])
            end
            positions[#positions + 1] = top[1] .. ':' .. top[2]
          end
          local joined = table.concat(positions, ';')
          redis.call('PUBLISH', ARGV[6], ARGV[5] .. '\\n' .. joined .. '\\n' .. ARGV[4])
          local live = redis.call('ZRANGEBYSCORE', ARGV[15], ARGV[16], '+inf')
          return joined .. '\\n' .. table.concat(live, ',')
          """);

  /** What the script answered: the positions it gave, the nodes live when it published. */
  record Published(String positions, java.util.Set<String> liveNodes) {}

  private final RedisEngine engine;
  private final DeliveryLimits limits;
  private final Clock clock;
  private final String prefix;
  private final String channel;
  private final String nodesKey;

  PublishScript(RedisEngine engine, DeliveryLimits limits, Clock clock, String channel) {
    this.nodesKey = RedisMembership.nodesKey(engine);
    this.engine = engine;
    this.limits = limits;
    this.clock = clock;
    this.prefix = RedisDeliveryStore.keyPrefix(engine);
    this.channel = channel;
  }

  /**
   * Appends and publishes {@code publication} as send {@code sendId} of node {@code publisher}.
   *
   * @return completes with the positions and the live nodes once Redis ran the script; fails with
   *     {@link dev.switchboard.gateway.SharedStateException} when it could not
   */
  CompletionStage<Published> run(
      String publisher, UUID sendId, Publication publication, Notification notification) {
    Instant now = clock.instant();
    Instant inboxExpiry = now.plus(limits.inboxTtl(notification));
    List<byte[]> args = new ArrayList<>();
    args.add(utf8(prefix));
    args.add(number(now.toEpochMilli()));
    args.add(utf8(publication.notificationId().toString()));
    args.add(publication.message());
    args.add(Envelope.header(publisher, sendId, publication));
    args.add(utf8(channel));
    args.add(number(limits.historyTtl().toMillis()));
    args.add(number(limits.historySize()));
    args.add(number(limits.historyMaxChannels()));
    args.add(number(limits.queueSize()));
    args.add(number(limits.queueMaxUsers()));
    args.add(number(RedisDeliveryStore.gcMillis(limits)));
    args.add(number(inboxExpiry.toEpochMilli()));
    args.add(number(RedisDeliveryStore.inboxGcMillis(limits, inboxExpiry, now)));
    args.add(utf8(nodesKey));
    args.add(number(now.toEpochMilli() - RedisMembership.LIVE_MILLIS));
    List<StreamId> streams = Envelope.streams(publication.target());
    args.add(number(streams.size()));
    for (StreamId stream : streams) {
      switch (stream) {
        case StreamId.Channel c -> {
          args.add(utf8("c"));
          args.add(utf8(c.name()));
        }
        case StreamId.Inbox i -> {
          args.add(utf8("u"));
          args.add(utf8(i.userId()));
        }
      }
      args.add(utf8(Position.newEpoch()));
    }
    byte[][] argv = args.toArray(byte[][]::new);
    return engine
        .<byte[]>callAsync(
            "publish a notification",
            c -> RedisEngine.eval(c, SCRIPT, ScriptOutputType.VALUE, new String[0], argv))
        .thenApply(PublishScript::published);
  }

  private static Published published(byte[] answer) {
    String text = new String(answer, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    java.util.Set<String> live = new java.util.TreeSet<>();
    for (String id : text.substring(newline + 1).split(",")) {
      if (!id.isEmpty()) {
        live.add(id);
      }
    }
    return new Published(text.substring(0, newline), live);
  }
}
