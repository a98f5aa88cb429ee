package dev.switchboard.server;

import dev.switchboard.gateway.Outgoing;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.TransportListener;
import java.util.Optional;

/**
 * How one session's device speaks ({@link DeviceProtocol}), between its wire and the JSON-RPC that
 * the RPC peer, the device methods and the gateway's pre-encoded notifications speak. The server
 * itself speaks JSON-RPC only: a dialect translates at the edge, so every feature (limits,
 * keepalive, the outbound queue, slow consumers, the delivery guarantees) works the same in every
 * protocol.
 *
 * <p>Thread-safe: {@link #receive} is called on the connection's event loop, one message at a time;
 * {@link #write} and {@link #heartbeat} from any thread.
 */
sealed interface Dialect permits Dialect.JsonRpc, AraDialect {

  /** The dialect of a new session speaking {@code protocol}; one per session. */
  static Dialect of(DeviceProtocol protocol) {
    return switch (protocol) {
      case JSONRPC -> JsonRpc.INSTANCE;
      case ARA -> new AraDialect();
    };
  }

  /** Hands one whole message from the device to {@code rpc}, as JSON-RPC. */
  void receive(Encoding encoding, byte[] message, TransportListener rpc);

  /**
   * Writes {@code message} (JSON-RPC, or a notification the gateway encoded) through {@code sink}
   * in the device's protocol; a message that has no form there is not written, and {@code done}
   * runs at once.
   */
  void write(Outgoing message, Runnable done, SessionSink sink);

  /** A message of the protocol's own to send at every keepalive ping; empty when it has none. */
  Optional<Outgoing> heartbeat();

  /** JSON-RPC itself: every message passes unchanged. */
  final class JsonRpc implements Dialect {
    static final JsonRpc INSTANCE = new JsonRpc();

    private JsonRpc() {}

    @Override
    public void receive(Encoding encoding, byte[] message, TransportListener rpc) {
      rpc.receive(encoding, message);
    }

    @Override
    public void write(Outgoing message, Runnable done, SessionSink sink) {
      sink.write(message, done);
    }

    @Override
    public Optional<Outgoing> heartbeat() {
      return Optional.empty();
    }
  }
}
