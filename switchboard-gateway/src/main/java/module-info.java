/**
 * The push gateway core: notifications and their targets, the registry of devices by connection,
 * user and channel, and each device's bounded outbound queue. Knows nothing of sockets or HTTP: the
 * server wires a WebSocket (later SSE, WebTransport) under {@link dev.switchboard.gateway.Device}.
 */
module dev.switchboard.gateway {
  requires transitive dev.switchboard.jsonrpc;

  exports dev.switchboard.gateway;
}
