/** The Switchboard server: Vert.x HTTP and WebSocket, the RPC peer per connection, the CLI. */
module dev.switchboard.server {
  requires transitive dev.switchboard.rpc;
  requires io.vertx.core;
  requires io.netty.codec.http;
  requires info.picocli;
  requires org.slf4j;

  exports dev.switchboard.server;

  opens dev.switchboard.server to info.picocli, dev.switchboard.rpc;
}
