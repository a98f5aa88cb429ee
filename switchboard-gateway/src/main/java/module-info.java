/**
 * The push gateway core: notifications and their targets, the registry of devices by connection,
 * user and channel, and each device's bounded outbound queue. Knows nothing of sockets or HTTP: the
 * server wires a WebSocket (later SSE, WebTransport) under {@link dev.switchboard.gateway.Device}.
 *
 * <p>State shared between nodes sits behind interfaces whose in-memory implementations are the
 * embedded default: {@link dev.switchboard.gateway.Broker}, {@link
 * dev.switchboard.gateway.Presence}, {@link dev.switchboard.gateway.RateLimitStore}.
 */
module dev.switchboard.gateway {
  requires transitive dev.switchboard.jsonrpc;
  requires transitive dev.switchboard.resilience;

  exports dev.switchboard.gateway;
}
