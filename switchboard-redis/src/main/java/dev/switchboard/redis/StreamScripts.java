package dev.switchboard.redis;

import java.util.Objects;

/**
 * The scripts of the delivery store's streams: each is the library {@code streams.lua} (the
 * functions that open, expire, evict and append to channel and inbox streams) followed by a short
 * body that calls it. A broker script that takes an offset, appends and publishes in one step is
 * made the same way, with {@link #compose}.
 */
final class StreamScripts {

  /** The library's text, as read from {@code dev/switchboard/redis/streams.lua}. */
  static final String LIBRARY = LuaScript.load("streams.lua").source();

  /**
   * ARGV: prefix, channel, id, message, now, ttl_ms, max_size, max_channels, new_epoch, gc_ms;
   * answers {offset, epoch}.
   */
  static final LuaScript APPEND_CHANNEL =
      compose(
          "append-channel",
          """
          return append_channel(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7],
            ARGV[8], ARGV[9], ARGV[10])
          """);

  /**
   * ARGV: prefix, user, id, message, expires_at, now, max_size, max_users, new_epoch, gc_ms;
   * answers {offset, epoch}.
   */
  static final LuaScript APPEND_INBOX =
      compose(
          "append-inbox",
          """
          return append_inbox(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7],
            ARGV[8], ARGV[9], ARGV[10])
          """);

  /** ARGV: prefix, kind, name, now, max_streams, new_epoch, gc_ms; answers {top, epoch}. */
  static final LuaScript POSITION =
      compose(
          "position",
          """
          local k, epoch = open_stream(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
          keep_stream(k, ARGV[7])
          return { tonumber(redis.call('HGET', k.meta, 'top')), epoch }
          """);

  /**
   * ARGV: as {@link #POSITION}, then offset, epoch; answers {recovered (0 or 1), top, epoch, then
   * offset, id, message, expiresAt for each entry after offset when recovered}.
   */
  static final LuaScript SINCE =
      compose(
          "since",
          """
          local k, epoch = open_stream(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
          keep_stream(k, ARGV[7])
          local top = tonumber(redis.call('HGET', k.meta, 'top'))
          local offset = tonumber(ARGV[8])
          if epoch ~= ARGV[9] or offset < 0 or offset > top then
            return { 0, top, epoch }
          end
          local after = redis.call('ZRANGEBYSCORE', k.offsets, '(' .. ARGV[8], '+inf')
          if #after ~= top - offset then
            return { 0, top, epoch }
          end
          local out = { 1, top, epoch }
          for _, o in ipairs(after) do
            local f = redis.call('HMGET', k.data, 'i' .. o, 'm' .. o, 'x' .. o)
            table.insert(out, tonumber(o))
            table.insert(out, f[1])
            table.insert(out, f[2])
            table.insert(out, f[3])
          end
          return out
          """);

  /**
   * ARGV: prefix, user, now, gc_ms; answers offset, id, message, expiresAt of each owed entry, in
   * offset order.
   */
  static final LuaScript OWED =
      compose(
          "owed",
          """
          local k = find_stream(ARGV[1], 'inbox', ARGV[2], ARGV[3])
          local out = {}
          if not k then
            return out
          end
          keep_stream(k, ARGV[4])
          if owed_count(k) == 0 then
            return out
          end
          for _, o in ipairs(redis.call('ZRANGE', k.offsets, 0, -1)) do
            local f = redis.call('HMGET', k.data, 's' .. o, 'i' .. o, 'm' .. o, 'x' .. o)
            if f[1] then
              table.insert(out, tonumber(o))
              table.insert(out, f[2])
              table.insert(out, f[3])
              table.insert(out, f[4])
            end
          end
          return out
          """);

  /**
   * ARGV: prefix, user, now, gc_ms, offset, awaiting ("1" or "0"); answers 1 when the entry
   * changed.
   */
  static final LuaScript DELIVERED =
      compose(
          "delivered",
          """
          local k = find_stream(ARGV[1], 'inbox', ARGV[2], ARGV[3])
          if not k then
            return 0
          end
          keep_stream(k, ARGV[4])
          local o, awaiting = ARGV[5], ARGV[6] == '1'
          local f = redis.call('HMGET', k.data, 'i' .. o, 's' .. o, 'a' .. o)
          if not f[1] or f[3] or (f[2] == 'w' and not awaiting) then
            return 0
          end
          local before = f[2] or 'd'
          local after = awaiting and 'w' or 'd'
          if before == after then
            return 0
          end
          if OWED[before] then
            redis.call('HINCRBY', k.meta, OWED[before], -1)
          end
          if after == 'w' then
            redis.call('HSET', k.data, 's' .. o, 'w')
            redis.call('HINCRBY', k.meta, 'awaiting', 1)
          else
            redis.call('HDEL', k.data, 's' .. o)
          end
          return 1
          """);

  /** ARGV: prefix, user, now, gc_ms, id; answers the state before (q, w, d) or "none". */
  static final LuaScript ACK =
      compose(
          "ack",
          """
          local k = find_stream(ARGV[1], 'inbox', ARGV[2], ARGV[3])
          if not k then
            return 'none'
          end
          keep_stream(k, ARGV[4])
          local o = redis.call('HGET', k.data, 'n' .. ARGV[5])
          if not o then
            return 'none'
          end
          local before = redis.call('HGET', k.data, 's' .. o) or 'd'
          if OWED[before] then
            redis.call('HINCRBY', k.meta, OWED[before], -1)
          end
          redis.call('HDEL', k.data, 's' .. o)
          redis.call('HSET', k.data, 'a' .. o, '1')
          return before
          """);

  /**
   * ARGV: prefix, kind, now, gc_ms; answers {streams, entries, queued, awaiting, evicted, expired,
   * dropped}, every stream's expired entries forgotten first.
   */
  static final LuaScript TOTALS =
      compose(
          "totals",
          """
          local prefix, kind, now = ARGV[1], ARGV[2], ARGV[3]
          local lru = prefix .. ':' .. kind .. ':lru'
          local entries, queued, awaiting = 0, 0, 0
          for _, name in ipairs(redis.call('ZRANGE', lru, 0, -1)) do
            local k = stream_keys(prefix, kind, name)
            if redis.call('EXISTS', k.meta) == 1 then
              expire_stream(k, now)
              entries = entries + redis.call('ZCARD', k.offsets)
              local m = redis.call('HMGET', k.meta, 'queued', 'awaiting')
              queued = queued + (tonumber(m[1]) or 0)
              awaiting = awaiting + (tonumber(m[2]) or 0)
            else
              redis.call('ZREM', lru, name)
            end
          end
          local k = stream_keys(prefix, kind, '')
          keep_stream(k, ARGV[4])
          local t = redis.call('HMGET', k.totals, 'evicted', 'expired', 'dropped')
          return { redis.call('ZCARD', lru), entries, queued, awaiting,
            tonumber(t[1]) or 0, tonumber(t[2]) or 0, tonumber(t[3]) or 0 }
          """);

  private StreamScripts() {}

  /**
   * A script made of the library followed by {@code body}, which may call the library's functions
   * ({@code append_channel}, {@code append_inbox}, {@code open_stream}, ...; see the header of
   * {@code streams.lua} for their arguments and answers).
   */
  static LuaScript compose(String name, String body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    return LuaScript.of(name, LIBRARY + "\n" + body);
  }
}
