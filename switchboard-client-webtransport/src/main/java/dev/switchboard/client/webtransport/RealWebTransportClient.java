package dev.switchboard.client.webtransport;

import dev.switchboard.client.ConnectFailedException;
import dev.switchboard.client.ConnectionClient;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.webtransport.ConnectOptions;
import dev.switchboard.webtransport.WebTransportConnector;
import dev.switchboard.webtransport.WebTransportSession;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** A {@link WebTransportClient}: the RPC connection on the session's first bidirectional stream. */
final class RealWebTransportClient extends ConnectionClient implements WebTransportClient {

  private final WebTransportSession session;

  private RealWebTransportClient(URI uri, RpcConnection rpc, WebTransportSession session) {
    super(uri, rpc);
    this.session = session;
  }

  static CompletableFuture<WebTransportClient> open(
      URI uri, ConnectOptions options, RpcMethods methods, RpcConfig config, int maxQueued) {
    return WebTransportConnector.connect(uri, options)
        .thenCompose(
            session ->
                session
                    .openBidirectionalStream()
                    .thenApply(
                        stream -> {
                          RpcStreamTransport transport =
                              new RpcStreamTransport(
                                  session,
                                  stream,
                                  config.encoding(),
                                  config.maxMessageBytes(),
                                  maxQueued,
                                  uri.getHost() + ":" + uri.getPort());
                          RpcConnection rpc = RpcConnection.open(transport, methods, config);
                          transport.start(rpc);
                          return (WebTransportClient) new RealWebTransportClient(uri, rpc, session);
                        })
                    .whenComplete(
                        (client, e) -> {
                          if (e != null) {
                            session.close(CloseReason.CONNECTION_LOST, "no RPC stream");
                          }
                        }))
        .exceptionallyCompose(
            e -> CompletableFuture.failedFuture(new ConnectFailedException(uri, unwrap(e))));
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause()
        : e;
  }

  @Override
  public WebTransportSession session() {
    return session;
  }
}
