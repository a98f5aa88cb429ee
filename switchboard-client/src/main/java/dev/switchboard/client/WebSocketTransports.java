package dev.switchboard.client;

import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.Transport;
import dev.switchboard.rpc.TransportListener;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Switchboard's own WebSocket client transport, for a listener other than the RPC client: whole
 * messages in and out, nothing else. {@link SwitchboardClient} is built on it; the benchmark's raw
 * echo uses it to measure the stack without the RPC layer.
 */
public final class WebSocketTransports {

  private WebSocketTransports() {}

  /**
   * Connects to {@code uri} and reports to {@code listener}; the future completes when the
   * handshake is done. Limits: messages up to {@code maxMessageBytes} (larger ones close with
   * 1009), at most 4096 queued sends.
   */
  public static CompletableFuture<Transport> connect(
      URI uri, Map<String, String> headers, int maxMessageBytes, TransportListener listener) {
    Objects.requireNonNull(listener, "listener");
    SocketWebSocketTransport transport =
        new SocketWebSocketTransport(
            uri,
            headers,
            Duration.ofSeconds(10),
            maxMessageBytes,
            4096,
            RpcConfig.defaults().scheduler(),
            SocketWebSocketTransport.CLOSE_TIMEOUT);
    return transport.connect(listener).thenApply(opened -> transport);
  }
}
