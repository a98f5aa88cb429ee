--[[
idempotency.lua: the idempotency keys of the delivery store (RedisIdempotencyKeys), one
operation per call.
KEYS[1] fingerprints  HASH  key -> the fingerprint of the request that claimed it
KEYS[2] answers       HASH  key -> the answer, once completed
KEYS[3] expiry        ZSET  key -> when it is forgotten (ms)
ARGV: op, now (ms), ttl (ms), gc (ms, a real-time TTL for garbage collection), then:
  claim:    key, fingerprint, max keys -> {"claimed"} | {"answered", answer} | {"progress"}
                                          | {"mismatch"} | {"full"}
  complete: key, answer                -> 1 kept, 0 no such key
  release:  key                        -> 1 forgotten, 0 no such key
  size:                                -> keys kept
Time is only `now`: a key is forgotten once its expiry is at or before now.
]]
local fingerprints, answers, expiry = KEYS[1], KEYS[2], KEYS[3]
local op, now, ttl, gc = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]

local function forget(key)
  redis.call('HDEL', fingerprints, key)
  redis.call('HDEL', answers, key)
  return redis.call('ZREM', expiry, key)
end

local function keep()
  for _, key in ipairs(KEYS) do
    redis.call('PEXPIRE', key, gc)
  end
end

if op == 'release' then
  return forget(ARGV[5])
end

-- Forgets expired keys; a key past its expiry but not swept yet may still be completed.
local function sweep()
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', expiry, '-inf', now)) do
    forget(key)
  end
end

if op == 'claim' then
  sweep()
  local key, fingerprint, max = ARGV[5], ARGV[6], tonumber(ARGV[7])
  local kept = redis.call('HGET', fingerprints, key)
  if kept then
    if kept ~= fingerprint then
      return { 'mismatch' }
    end
    local answer = redis.call('HGET', answers, key)
    if answer then
      return { 'answered', answer }
    end
    return { 'progress' }
  end
  if redis.call('ZCARD', expiry) >= max then
    return { 'full' }
  end
  redis.call('HSET', fingerprints, key, fingerprint)
  redis.call('ZADD', expiry, now + ttl, key)
  keep()
  return { 'claimed' }
elseif op == 'complete' then
  local key = ARGV[5]
  if redis.call('HEXISTS', fingerprints, key) == 0 then
    return 0
  end
  -- The window starts when the answer is known: a repeat within it gets the answer.
  redis.call('HSET', answers, key, ARGV[6])
  redis.call('ZADD', expiry, now + ttl, key)
  keep()
  return 1
elseif op == 'size' then
  sweep()
  return redis.call('ZCARD', expiry)
end
return redis.error_reply('unknown operation ' .. tostring(op))
