/**
 * The Redis engine: the gateway's shared state kept in Redis, so that several nodes serve one
 * cluster with the single node's semantics. {@link dev.switchboard.redis.RedisEngine} is one node's
 * connection; the stores it makes implement the gateway's interfaces.
 */
module dev.switchboard.redis {
  requires transitive dev.switchboard.cluster;
  requires transitive dev.switchboard.gateway;
  requires transitive dev.switchboard.resilience.redis;
  requires transitive lettuce.core;
  requires org.slf4j;

  exports dev.switchboard.redis;
}
