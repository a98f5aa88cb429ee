-- Gives the triggers lease up if the caller holds it: KEYS[1] the lease, ARGV[1] the token.
-- Returns 1 when it was released, 0 when another holder (or nobody) had it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
