/**
 * A token-bucket rate limiter shared by every node through Redis: one atomic Lua script per
 * request, timed by the Redis server's clock, answering with the same {@link
 * dev.switchboard.resilience.RateLimiter.Result} as the local limiter, and failing open or closed
 * when Redis does not answer.
 */
module dev.switchboard.resilience.redis {
  requires transitive dev.switchboard.resilience;
  requires transitive lettuce.core;
  requires org.slf4j;

  exports dev.switchboard.resilience.redis;
}
