-- Writes some of one node's presence entries, as its registry has them now, and keeps them alive for a TTL.
--
-- KEYS[1]  the node's users: a hash of user key -> "<connections> <channel> <channel>..."
-- KEYS[2]  the node's channels: a hash of channel key -> "<subscribers> <since, ISO-8601>"
-- ARGV[1]  the TTL of both hashes (ms), refreshed by the node's heartbeats
-- ARGV[2]  how many user entries follow (u)
-- ARGV[3..] u pairs (user key, value), then pairs (channel key, value); an empty value deletes the entry
-- Returns 1.

local ttl = ARGV[1]
local users = tonumber(ARGV[2])
local i = 3
local n = 0
while i < #ARGV do
  local key = KEYS[1]
  if n >= users then
    key = KEYS[2]
  end
  if ARGV[i + 1] == '' then
    redis.call('HDEL', key, ARGV[i])
  else
    redis.call('HSET', key, ARGV[i], ARGV[i + 1])
  end
  i = i + 2
  n = n + 1
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
