/**
 * Test fixtures every module's tests may use: a raw WebSocket client, a real {@code redis-server}
 * process ({@link dev.switchboard.testing.RedisServerProcess}), a real OTLP trace receiver ({@link
 * dev.switchboard.testing.OtlpReceiver}), a hand-moved clock. Two RPC peers joined in memory are
 * the rpc module's own {@code dev.switchboard.rpc.InMemoryLink}.
 */
module dev.switchboard.testing {
  requires transitive dev.switchboard.rpc;
  requires transitive java.net.http;
  requires com.google.protobuf;
  requires io.opentelemetry.proto;
  requires io.vertx.core;
  requires org.slf4j;

  exports dev.switchboard.testing;
}
