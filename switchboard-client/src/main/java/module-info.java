/**
 * The Java client: a WebSocket connection to a Switchboard server over the JDK's HttpClient, with the full RPC
 * peer on it. No event-loop framework is needed; use it from platform or virtual threads.
 */
module dev.switchboard.client {
  requires transitive dev.switchboard.rpc;
  requires transitive java.net.http;
  requires org.slf4j;

  exports dev.switchboard.client;
}
