-- Takes or keeps the triggers lease: KEYS[1] the lease, ARGV[1] this holder's token,
-- ARGV[2] the lease time in milliseconds. Returns 1 when the caller holds the lease for
-- ARGV[2] ms from now, 0 when another holder has it.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
