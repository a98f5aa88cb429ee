-- A node leaves the cluster at once (a graceful shutdown), rather than when its heartbeats are too old.
--
-- KEYS[1]  the cluster's nodes: a sorted set of node id, scored by when each was last seen
-- KEYS[2]  the leaving node's hash
-- ARGV[1]  the leaving node's id
-- Returns 1.

redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
