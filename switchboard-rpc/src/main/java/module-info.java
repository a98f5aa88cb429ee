/**
 * The transport-agnostic RPC peer: both ends register methods and call each other over one
 * connection, with deadlines, cancellation, limits and keepalive. A transport (WebSocket today, SSE
 * and WebTransport next) moves whole messages and implements {@link dev.switchboard.rpc.Transport};
 * close codes are the RPC layer's own ({@link dev.switchboard.rpc.CloseReason}), which each
 * transport carries in its own way. No WebSocket type appears here: frames, UTF-8 checks and RFC
 * 6455 close codes live in switchboard-websocket.
 */
module dev.switchboard.rpc {
  requires transitive dev.switchboard.jsonrpc;
  requires transitive dev.switchboard.resilience;
  requires org.slf4j;

  exports dev.switchboard.rpc;
}
