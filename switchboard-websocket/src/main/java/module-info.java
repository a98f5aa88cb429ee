/**
 * The RFC 6455 rules Switchboard's WebSocket transports (the client's own, the client's over the
 * JDK's WebSocket, the server's over Vert.x) share: {@link
 * dev.switchboard.websocket.MessageAssembler} joins fragments into messages under a size limit,
 * {@link dev.switchboard.websocket.Utf8} checks text messages, {@link
 * dev.switchboard.websocket.CloseCodes} names the close codes and says which may appear in a close
 * frame and how long its reason may be. No sockets and no Netty: the transports parse frames; this
 * module decides what they mean.
 */
module dev.switchboard.websocket {
  requires transitive dev.switchboard.jsonrpc;

  exports dev.switchboard.websocket;
}
