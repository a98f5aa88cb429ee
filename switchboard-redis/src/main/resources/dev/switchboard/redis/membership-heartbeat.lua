-- One heartbeat of one node: it is seen now, with this many connections; nodes unseen for long are forgotten.
--
-- KEYS[1]  the cluster's nodes: a sorted set of node id, scored by when each was last seen (epoch ms)
-- KEYS[2]  this node: a hash {connections, started_at, last_seen}
-- ARGV[1]  this node's id
-- ARGV[2]  now (epoch ms)
-- ARGV[3]  this node's connections
-- ARGV[4]  when this node started (epoch ms)
-- ARGV[5]  how long this node's hash outlives its last heartbeat (ms)
-- ARGV[6]  nodes last seen before this (epoch ms) leave the sorted set
-- Returns 1.

redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], 'connections', ARGV[3], 'started_at', ARGV[4], 'last_seen', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[6])
return 1
