--[[
streams.lua: the delivery store's streams (channel histories and user inboxes) as a library of
local Lua functions. A script is this text followed by its body (StreamScripts.compose in Java);
the body calls the functions below. Nothing here reads KEYS or Redis' clock: every key name is
made from the `prefix` argument, every instant is an argument in Unix milliseconds and every
limit is an argument, so that one script (the broker's publish, say) can take a stream's next
offset, append and PUBLISH in one atomic step. Standalone Redis only (keys are not declared).

Public functions (numbers may be Lua numbers or their decimal strings; instants are whole Unix
milliseconds). `prefix` must be the store's: RedisDeliveryStore.keyPrefix(engine) in Java, that is
engine.key("delivery") ("switchboard:delivery" by default). new_epoch: RedisStreams.newEpoch();
gc_ms: RedisDeliveryStore.gcMillis(limits) for a channel, RedisDeliveryStore.inboxGcMillis(limits,
expiresAt, now) for an inbox (longer when the entry outlives the longest TTL).
Both raise a Lua error (the whole script is aborted, nothing written) on a missing argument.

  append_channel(prefix, channel, id, message, now, ttl_ms, max_size, max_channels, new_epoch,
                 gc_ms) -> {offset, epoch}
    Appends `message` (bytes, kept as given) with notification id `id` (a string) to channel
    `channel`'s stream, expiring at now + ttl_ms; first forgets entries past their expiry, then
    the oldest ones beyond max_size - 1. Opening a channel beyond `max_channels` streams forgets
    the least recently used channel whole (counted evicted). A stream without metadata (new,
    evicted, collected, Redis restarted empty) starts epoch `new_epoch` (8 characters [0-9a-z],
    drawn by the caller) at offset 1. Returns the offset given (an integer) and the epoch (a
    string). gc_ms: a real-time TTL set on the stream's keys (garbage collection only; never
    shortened).

  append_inbox(prefix, user, id, message, expires_at, now, max_size, max_users, new_epoch,
               gc_ms) -> {offset, epoch}
    The same for user `user`'s inbox: the entry is QUEUED and expires at `expires_at`; an owed
    entry (queued or awaiting its ACK) pushed out counts as dropped, one past its expiry as
    expired. Beyond `max_users` inboxes, the least recently used of the 64 eldest that owes
    nothing is forgotten, else the eldest (its owed entries counted dropped).

  Also usable (see each one's comment): stream_keys(prefix, kind, name) -> k (the key names);
  open_stream(prefix, kind, name, now, max_streams, new_epoch) -> k, epoch (a use, made if
  missing); find_stream(prefix, kind, name, now) -> k or nil (a use, never made); append_entry;
  expire_stream(k, now); keep_stream(k, gc_ms); owed_count(k). Inside a script, a stream's top
  is HGET k.meta 'top'.

Keys, for kind "channel" or "inbox" and stream name N (the channel key or the user key):
  <prefix>:<kind>:lru         ZSET  N -> use counter, least recently used first
  <prefix>:<kind>:totals      HASH  clock (the use counter), evicted, expired, dropped
  <prefix>:<kind>:meta:N      HASH  epoch, top, queued, awaiting
  <prefix>:<kind>:offsets:N   ZSET  offset -> offset
  <prefix>:<kind>:expiry:N    ZSET  offset -> expiresAt (ms)
  <prefix>:<kind>:data:N      HASH  m<o> message, i<o> id, x<o> expiresAt (ms), s<o> state (q: queued,
                                    w: awaiting its ACK; absent: done), a<o> "1" once acknowledged,
                                    n<id> the offset of id's first entry (inboxes)
]]

local MAX_SCAN = 64
local OWED = { q = 'queued', w = 'awaiting' }

local function stream_keys(prefix, kind, name)
  local base = prefix .. ':' .. kind .. ':'
  return {
    kind = kind,
    name = name,
    lru = base .. 'lru',
    totals = base .. 'totals',
    meta = base .. 'meta:' .. name,
    offsets = base .. 'offsets:' .. name,
    expiry = base .. 'expiry:' .. name,
    data = base .. 'data:' .. name,
  }
end

-- How far a key's real-time TTL may fall below gc_ms before it is extended again: RedisDeliveryStore.GC_MARGIN
-- (1 h). gc_ms is the longest TTL plus that margin, so after any use a key still outlives every entry in it,
-- and each key is extended about once an hour instead of on every append.
local GC_SLACK_MS = 3600000

-- Extends (never shortens) the real-time TTL of every key of stream k to gc_ms, when it fell more than
-- GC_SLACK_MS below it (or has none).
local function keep_stream(k, gc_ms)
  local floor = tonumber(gc_ms) - GC_SLACK_MS
  for _, key in ipairs({ k.lru, k.totals, k.meta, k.offsets, k.expiry, k.data }) do
    local left = redis.call('PTTL', key)
    if left ~= -2 and left < floor then
      redis.call('PEXPIRE', key, gc_ms)
    end
  end
end

-- Forgets entry o (a string) of stream k; returns its state: 'q', 'w' or 'd'.
local function forget_entry(k, o)
  local fields = redis.call('HMGET', k.data, 'i' .. o, 's' .. o)
  local id, state = fields[1], fields[2] or 'd'
  if id and redis.call('HGET', k.data, 'n' .. id) == o then
    redis.call('HDEL', k.data, 'n' .. id)
  end
  redis.call('HDEL', k.data, 'm' .. o, 'i' .. o, 'x' .. o, 's' .. o, 'a' .. o)
  redis.call('ZREM', k.offsets, o)
  redis.call('ZREM', k.expiry, o)
  if OWED[state] then
    redis.call('HINCRBY', k.meta, OWED[state], -1)
  end
  return state
end

-- Forgets the entries of k whose expiry is at or before now; owed ones count as expired.
local function expire_stream(k, now)
  local owed = 0
  for _, o in ipairs(redis.call('ZRANGEBYSCORE', k.expiry, '-inf', now)) do
    if OWED[forget_entry(k, o)] then
      owed = owed + 1
    end
  end
  if owed > 0 then
    redis.call('HINCRBY', k.totals, 'expired', owed)
  end
end

-- How many entries of stream k are owed (queued or awaiting an ACK).
local function owed_count(k)
  local m = redis.call('HMGET', k.meta, 'queued', 'awaiting')
  return (tonumber(m[1]) or 0) + (tonumber(m[2]) or 0)
end

-- Forgets stream k whole: entries past their expiry count expired, other owed ones dropped.
local function evict_stream(k, now)
  expire_stream(k, now)
  local owed = owed_count(k)
  if owed > 0 then
    redis.call('HINCRBY', k.totals, 'dropped', owed)
  end
  redis.call('DEL', k.meta, k.offsets, k.expiry, k.data)
  redis.call('ZREM', k.lru, k.name)
  redis.call('HINCRBY', k.totals, 'evicted', 1)
end

-- Makes room for one more stream beside those in lru: channels forget the least recently used;
-- inboxes the least recently used of the MAX_SCAN eldest that owes nothing, else the eldest. A
-- listed stream whose keys Redis already collected (their real-time TTL) makes room uncounted.
local function evict_one(prefix, kind, now)
  local lru = prefix .. ':' .. kind .. ':lru'
  local eldest = redis.call('ZRANGE', lru, 0, MAX_SCAN - 1)
  local victim = stream_keys(prefix, kind, eldest[1])
  local spare = nil
  for _, name in ipairs(eldest) do
    local k = stream_keys(prefix, kind, name)
    if redis.call('EXISTS', k.meta) == 0 then
      redis.call('ZREM', lru, name)
      return
    end
    if not spare and (kind ~= 'inbox' or owed_count(k) == 0) then
      spare = k
    end
  end
  evict_stream(spare or victim, now)
end

-- Makes stream k the most recently used.
local function touch_stream(k)
  redis.call('ZADD', k.lru, redis.call('HINCRBY', k.totals, 'clock', 1), k.name)
end

-- The stream of `name` as a use (the most recent now, entries past their expiry forgotten), made
-- with epoch new_epoch if it has no metadata. Returns its keys and its epoch.
local function open_stream(prefix, kind, name, now, max_streams, new_epoch)
  local k = stream_keys(prefix, kind, name)
  local epoch = redis.call('HGET', k.meta, 'epoch')
  local listed = redis.call('ZSCORE', k.lru, name)
  if not epoch then
    -- Leftovers of a stream whose metadata was collected are not this epoch's.
    redis.call('DEL', k.offsets, k.expiry, k.data)
    redis.call('ZREM', k.lru, name)
    listed = false
    epoch = new_epoch
    redis.call('HSET', k.meta, 'epoch', epoch, 'top', 0, 'queued', 0, 'awaiting', 0)
  end
  if not listed and redis.call('ZCARD', k.lru) >= tonumber(max_streams) then
    evict_one(prefix, kind, now)
  end
  touch_stream(k)
  expire_stream(k, now)
  return k, epoch
end

-- The stream of `name` as a use when it exists (never made), expired entries forgotten; or nil.
local function find_stream(prefix, kind, name, now)
  local k = stream_keys(prefix, kind, name)
  if redis.call('EXISTS', k.meta) == 0 then
    return nil
  end
  touch_stream(k)
  expire_stream(k, now)
  return k
end

-- Appends an entry with the next offset to stream k, first forgetting the oldest beyond
-- max_size - 1 (owed ones count dropped). state: 'q' (queued) or 'd' (done, for channels).
-- Returns the offset given.
local function append_entry(k, id, message, expires_at, state, max_size)
  while redis.call('ZCARD', k.offsets) >= tonumber(max_size) do
    local oldest = redis.call('ZRANGE', k.offsets, 0, 0)[1]
    if OWED[forget_entry(k, oldest)] then
      redis.call('HINCRBY', k.totals, 'dropped', 1)
    end
  end
  local top = redis.call('HINCRBY', k.meta, 'top', 1)
  local o = tostring(top)
  redis.call('ZADD', k.offsets, top, o)
  redis.call('ZADD', k.expiry, expires_at, o)
  redis.call('HSET', k.data, 'm' .. o, message, 'i' .. o, id, 'x' .. o, expires_at)
  if OWED[state] then
    redis.call('HSET', k.data, 's' .. o, state)
    redis.call('HINCRBY', k.meta, OWED[state], 1)
    redis.call('HSETNX', k.data, 'n' .. id, o)
  end
  return top
end

local function append_channel(
    prefix, channel, id, message, now, ttl_ms, max_size, max_channels, new_epoch, gc_ms)
  local k, epoch = open_stream(prefix, 'channel', channel, now, max_channels, new_epoch)
  local expires_at = string.format('%d', tonumber(now) + tonumber(ttl_ms))
  local offset = append_entry(k, id, message, expires_at, 'd', max_size)
  keep_stream(k, gc_ms)
  return { offset, epoch }
end

local function append_inbox(
    prefix, user, id, message, expires_at, now, max_size, max_users, new_epoch, gc_ms)
  local k, epoch = open_stream(prefix, 'inbox', user, now, max_users, new_epoch)
  local offset = append_entry(k, id, message, expires_at, 'q', max_size)
  keep_stream(k, gc_ms)
  return { offset, epoch }
end

-- The library ends here; a script's body follows.
