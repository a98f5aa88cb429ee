/**
 * The Java client: a WebSocket connection to a Switchboard server with the full RPC peer on it. By
 * default it speaks RFC 6455 itself over a plain socket (writing queued frames together); given an
 * HttpClient it uses the JDK's WebSocket instead. No event-loop framework is needed; use it from
 * platform or virtual threads.
 */
module dev.switchboard.client {
  requires transitive dev.switchboard.rpc;
  requires dev.switchboard.websocket;
  requires transitive java.net.http;
  requires org.slf4j;

  exports dev.switchboard.client;
}
