package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;

/**
 * An {@link RpcPeer} as its transport sees it: the transport feeds it whole messages and tells it when the
 * connection ends. Users see only {@link RpcPeer}.
 */
public interface RpcConnection extends RpcPeer {

  /** Starts a connection over {@code transport}, answering with {@code methods}. */
  static RpcConnection open(Transport transport, RpcMethods methods, RpcConfig config) {
    return new RealRpcConnection(transport, methods, config);
  }

  /** One whole message arrived. Called by the transport, one message at a time, on its own thread. */
  void receive(Encoding encoding, byte[] message);

  /** The transport saw the peer alive without a message, for example a pong to {@link Transport#sendPing()}. */
  void alive();

  /** The transport closed (either side started it); fails what is pending. Idempotent. */
  void transportClosed(int code, String reason);

  /** Closes with a code and reason (for example 1009 for a message that is too big). */
  void close(int code, String reason);

  RpcConfig config();
}
