-- Token bucket of switchboard-resilience-redis. Redis runs a script atomically, so concurrent callers on any node
-- see one consistent bucket.
--
-- KEYS[1]  the bucket: a hash {level, unit, ts}; a missing key is a full bucket
-- ARGV[1]  unit: level units per token
-- ARGV[2]  refill: level units produced per microsecond of the Redis server's clock
-- ARGV[3]  capacity: burst * unit
-- ARGV[4]  permits asked for
-- Returns {granted (1 or 0), whole tokens left, us until one more token (0 when full),
--          us until the permits would be there (0 when granted), us until full}.
--
-- Every number is an integer below 2^53, so Lua's doubles hold it exactly: no rounding, however many requests
-- share a microsecond. A refused request writes nothing.

if redis.replicate_commands then
  redis.replicate_commands() -- Redis 3.2 to 4: replicate the writes, not the script (TIME differs per replica)
end

local unit = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local cost = tonumber(ARGV[4]) * unit

-- a / b rounded down, exact for integers below 2^53 (the division alone may round up near an integer)
local function floor_div(a, b)
  local q = math.floor(a / b)
  if q * b > a then
    q = q - 1
  elseif (q + 1) * b <= a then
    q = q + 1
  end
  return q
end

local function ceil_div(a, b)
  local q = floor_div(a, b)
  if q * b < a then
    q = q + 1
  end
  return q
end

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local level, ts = capacity, now
local state = redis.call('HMGET', KEYS[1], 'level', 'unit', 'ts')
if state[1] and state[3] then
  level = tonumber(state[1])
  ts = tonumber(state[3])
  local stored_unit = tonumber(state[2])
  if stored_unit and stored_unit ~= unit then
    -- written by a limiter with another rate or period (a rolling deploy): same tokens, rounded down
    level = math.floor(level / stored_unit * unit)
  end
  if now > ts then
    if (now - ts) * refill >= capacity - level then
      level = capacity
    else
      level = level + (now - ts) * refill
    end
    ts = now
  end
  -- a clock that went back (failover to another host) refills nothing until it passes ts again
  if level > capacity then
    level = capacity
  end
end

local granted = 0
if level >= cost then
  granted = 1
  level = level - cost
  redis.call('HSET', KEYS[1], 'level', string.format('%.0f', level), 'unit', string.format('%.0f', unit),
    'ts', string.format('%.0f', ts))
  -- gone once it would be full again: a missing key reads as full, so expiry forgives nothing
  local until_full = ts - now + ceil_div(capacity - level, refill)
  redis.call('PEXPIRE', KEYS[1], math.max(1, ceil_div(until_full, 1000)))
end

local remaining = floor_div(level, unit)
local next_token = 0
if level < capacity then
  next_token = ceil_div((remaining + 1) * unit - level, refill)
end
local retry_after = 0
if granted == 0 then
  retry_after = ceil_div(cost - level, refill)
end
return { granted, remaining, next_token, retry_after, ceil_div(capacity - level, refill) }
