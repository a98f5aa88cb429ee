/**
 * The transport-agnostic RPC peer: both ends register methods and call each other over one
 * connection, with deadlines, cancellation, limits and keepalive. A transport (the server's Vert.x
 * WebSocket, the client's JDK WebSocket) moves whole messages and implements {@link
 * dev.switchboard.rpc.Transport}.
 */
module dev.switchboard.rpc {
  requires transitive dev.switchboard.jsonrpc;
  requires transitive dev.switchboard.resilience;
  requires org.slf4j;

  exports dev.switchboard.rpc;
}
