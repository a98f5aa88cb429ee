-- Replaces all of one node's presence entries by its registry's now: after its writer's queue overflowed, a failed
-- write, or Redis lost them. One script, so that no reader sees the node half written.
--
-- KEYS[1]  the node's users: a hash of user key -> "<connections> <channel> <channel>..."
-- KEYS[2]  the node's channels: a hash of channel key -> "<subscribers> <since, ISO-8601>"
-- ARGV[1]  the TTL of both hashes (ms)
-- ARGV[2]  how many user entries follow (u)
-- ARGV[3..] u pairs (user key, value), then pairs (channel key, value)
-- Returns 1.

redis.call('DEL', KEYS[1], KEYS[2])
local users = tonumber(ARGV[2])
local i = 3
local n = 0
while i < #ARGV do
  local key = KEYS[1]
  if n >= users then
    key = KEYS[2]
  end
  redis.call('HSET', key, ARGV[i], ARGV[i + 1])
  i = i + 2
  n = n + 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
