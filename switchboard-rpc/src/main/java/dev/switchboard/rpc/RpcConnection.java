package dev.switchboard.rpc;

/**
 * An {@link RpcPeer} as its transport sees it: the transport feeds it whole messages and tells it
 * when the connection ends. Users see only {@link RpcPeer}.
 */
public interface RpcConnection extends RpcPeer, TransportListener {

  /** Starts a connection over {@code transport}, answering with {@code methods}. */
  static RpcConnection open(Transport transport, RpcMethods methods, RpcConfig config) {
    return new RealRpcConnection(transport, methods, config);
  }

  /**
   * The transport closed (either side started it); fails what is pending with {@link
   * ConnectionClosedException}. Idempotent: the first call sets {@link #closeFuture()}.
   */
  @Override
  void transportClosed(int code, String reason);

  /**
   * Closes with an application close code ({@link CloseReason}) and reason: the transport sends
   * them, and pending calls fail at once.
   */
  @Override
  void close(int code, String reason);

  RpcConfig config();
}
