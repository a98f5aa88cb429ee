/**
 * Test fixtures every module's tests may use: an in-memory link between two peers, a raw WebSocket
 * client, a real {@code redis-server} process ({@link dev.switchboard.testing.RedisServerProcess}).
 */
module dev.switchboard.testing {
  requires transitive dev.switchboard.rpc;
  requires transitive java.net.http;

  exports dev.switchboard.testing;
}
