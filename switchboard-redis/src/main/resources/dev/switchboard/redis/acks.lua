--[[
acks.lua: the ACK statistics of the delivery store (RedisAcks), one operation per call.
KEYS[1] tracked  HASH  <notification id><user key> -> "<deliveredAt> <ackedAt or -1> <tenant>"
KEYS[2] age      ZSET  tracked field -> deliveredAt (ms): every delivery within its timeout
KEYS[3] acked    ZSET  tracked field -> ACK order: the acknowledged ones still kept
KEYS[4] stats    HASH  pending, acknowledged, expired, untracked, ack_ms (sums), each also as
                       <name>@<tenant>; seq (the ACK order)
ARGV: op, now (ms), timeout (ms), gc (ms, a real-time TTL for garbage collection), then:
  delivered: field, tenant, max pending -> 1 tracked, 0 not (already tracked, or untracked)
  ack:       field                      -> latency in ms, -1 unknown, -2 already acknowledged
  stats:     "" for all, or "@<tenant>" -> {pending, acknowledged, expired, untracked, ack_ms}
Time is only `now`: a delivery expires once deliveredAt + timeout <= now.
]]
local tracked, age, acked, stats = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op, now, timeout, gc = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local NAMES = { 'pending', 'acknowledged', 'expired', 'untracked', 'ack_ms' }

local function count(tenant, name, by)
  redis.call('HINCRBY', stats, name, by)
  redis.call('HINCRBY', stats, name .. '@' .. tenant, by)
end

local function parse(value)
  return string.match(value, '^(%-?%d+) (%-?%d+) (.*)$')
end

local function forget(field)
  redis.call('HDEL', tracked, field)
  redis.call('ZREM', age, field)
  redis.call('ZREM', acked, field)
end

-- Forgets deliveries whose timeout passed, counting the unacknowledged ones as expired.
local function expire()
  for _, field in ipairs(redis.call('ZRANGEBYSCORE', age, '-inf', now - timeout)) do
    local value = redis.call('HGET', tracked, field)
    forget(field)
    if value then
      local _, acked_at, tenant = parse(value)
      if acked_at == '-1' then
        count(tenant, 'pending', -1)
        count(tenant, 'expired', 1)
      end
    end
  end
end

local function keep()
  for _, key in ipairs(KEYS) do
    redis.call('PEXPIRE', key, gc)
  end
end

expire()

if op == 'delivered' then
  local field, tenant, max = ARGV[5], ARGV[6], tonumber(ARGV[7])
  if redis.call('HEXISTS', tracked, field) == 1 then
    return 0
  end
  -- Acknowledged deliveries are kept until their timeout so that a repeated ACK is recognised;
  -- at the bound they make room first, oldest ACK first.
  while redis.call('HLEN', tracked) >= max do
    local oldest = redis.call('ZRANGE', acked, 0, 0)[1]
    if not oldest then
      break
    end
    forget(oldest)
  end
  if redis.call('HLEN', tracked) >= max then
    count(tenant, 'untracked', 1)
    keep()
    return 0
  end
  redis.call('HSET', tracked, field, ARGV[2] .. ' -1 ' .. tenant)
  redis.call('ZADD', age, now, field)
  count(tenant, 'pending', 1)
  keep()
  return 1
elseif op == 'ack' then
  local field = ARGV[5]
  local value = redis.call('HGET', tracked, field)
  if not value then
    return -1
  end
  local delivered_at, acked_at, tenant = parse(value)
  if acked_at ~= '-1' then
    return -2
  end
  local latency = math.max(0, now - tonumber(delivered_at))
  redis.call('HSET', tracked, field, delivered_at .. ' ' .. ARGV[2] .. ' ' .. tenant)
  redis.call('ZADD', acked, redis.call('HINCRBY', stats, 'seq', 1), field)
  count(tenant, 'pending', -1)
  count(tenant, 'acknowledged', 1)
  count(tenant, 'ack_ms', latency)
  keep()
  return latency
elseif op == 'stats' then
  local fields = {}
  for i, name in ipairs(NAMES) do
    fields[i] = name .. ARGV[5]
  end
  local values = redis.call('HMGET', stats, unpack(fields))
  local out = {}
  for i = 1, #NAMES do
    out[i] = tonumber(values[i]) or 0
  end
  return out
end
return redis.error_reply('unknown operation ' .. tostring(op))
