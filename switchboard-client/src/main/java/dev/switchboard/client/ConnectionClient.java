package dev.switchboard.client;

import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SwitchboardClient} on an {@link RpcConnection}: over a {@link SocketWebSocketTransport},
 * over a {@link JdkWebSocketTransport} when the user brings an HttpClient, or, in a subclass, over
 * another transport (switchboard-client-webtransport's WebTransport client).
 */
public class ConnectionClient implements SwitchboardClient {

  private final URI uri;
  private final RpcConnection rpc;

  /** The client of {@code rpc}, an open connection to {@code uri}. */
  protected ConnectionClient(URI uri, RpcConnection rpc) {
    this.uri = uri;
    this.rpc = rpc;
  }

  /** Connects over Switchboard's own WebSocket client. */
  static CompletableFuture<SwitchboardClient> open(
      URI uri,
      Map<String, String> headers,
      RpcMethods methods,
      RpcConfig config,
      Duration connectTimeout,
      int maxQueued) {
    SocketWebSocketTransport transport =
        new SocketWebSocketTransport(
            uri,
            headers,
            connectTimeout,
            config.maxMessageBytes(),
            maxQueued,
            config.scheduler(),
            SocketWebSocketTransport.CLOSE_TIMEOUT);
    // The connection exists before the socket, so that nothing the server sends first can be
    // missed.
    RpcConnection rpc = RpcConnection.open(transport, methods, config);
    return opened(uri, rpc, transport.connect(rpc));
  }

  /** Connects over the JDK's WebSocket client of {@code http}. */
  static CompletableFuture<SwitchboardClient> open(
      HttpClient http,
      URI uri,
      Map<String, String> headers,
      RpcMethods methods,
      RpcConfig config,
      Duration connectTimeout,
      int maxQueued) {
    JdkWebSocketTransport transport =
        new JdkWebSocketTransport(uri.toString(), config.maxMessageBytes(), maxQueued);
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
    headers.forEach(builder::header);
    // As above: the connection exists before the socket.
    RpcConnection rpc = RpcConnection.open(transport, methods, config);
    transport.attach(rpc);
    return opened(uri, rpc, builder.buildAsync(uri, transport));
  }

  private static CompletableFuture<SwitchboardClient> opened(
      URI uri, RpcConnection rpc, CompletableFuture<?> open) {
    return open.handle(
        (socket, failure) -> {
          if (failure != null) {
            rpc.transportClosed(CloseReason.CONNECTION_LOST, "connect failed");
            throw new ConnectFailedException(uri, failure);
          }
          return new ConnectionClient(uri, rpc);
        });
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public <T> CompletableFuture<T> call(String method, Params params, Class<T> resultType) {
    return rpc.call(method, params, resultType);
  }

  @Override
  public <T> CompletableFuture<T> call(
      String method, Params params, Class<T> resultType, Duration timeout) {
    return rpc.call(method, params, resultType, timeout);
  }

  @Override
  public boolean notify(String method, Params params) {
    return rpc.notify(method, params);
  }

  @Override
  public Batch batch() {
    return rpc.batch();
  }

  @Override
  public boolean isOpen() {
    return rpc.isOpen();
  }

  @Override
  public CompletableFuture<CloseReason> closeFuture() {
    return rpc.closeFuture();
  }

  @Override
  public void close() {
    rpc.close();
  }

  @Override
  public int pendingCalls() {
    return rpc.pendingCalls();
  }

  @Override
  public int callsInFlight() {
    return rpc.callsInFlight();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + uri + (isOpen() ? "" : ", closed") + "}";
  }
}
