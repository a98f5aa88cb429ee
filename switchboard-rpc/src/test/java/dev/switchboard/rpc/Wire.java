package dev.switchboard.rpc;

import java.util.function.Function;

/**
 * What joins the two ends of a connection in a twin of the RPC peer's specs: memory ({@link
 * #IN_MEMORY}) or a real socket ({@link #SOCKET}). The specs are written once, against this, and
 * run over both, as Helidon runs a test both as a routing test and as a server test.
 */
interface Wire {

  /** {@link InMemoryTransport}: no socket, no network stack; keepalive uses {@code rpc.ping}. */
  Wire IN_MEMORY =
      new Wire() {
        @Override
        public <L extends TransportListener, R extends TransportListener> Ends<L, R> join(
            Function<Transport, L> left, Function<Transport, R> right) {
          InMemoryTransport.Pair pair = InMemoryTransport.pair();
          Ends<L, R> ends = new Ends<>(left.apply(pair.left()), right.apply(pair.right()));
          pair.left().start(ends.left());
          pair.right().start(ends.right());
          return ends;
        }

        @Override
        public String ioThreadPrefix() {
          return "rpc-in-memory-";
        }
      };

  /** {@link SocketTransport}: TCP on loopback; keepalive uses ping frames. */
  Wire SOCKET =
      new Wire() {
        @Override
        public <L extends TransportListener, R extends TransportListener> Ends<L, R> join(
            Function<Transport, L> left, Function<Transport, R> right) {
          SocketTransport.Pair pair = SocketTransport.pair(1024);
          Ends<L, R> ends = new Ends<>(left.apply(pair.left()), right.apply(pair.right()));
          pair.left().start(ends.left());
          pair.right().start(ends.right());
          return ends;
        }

        @Override
        public String ioThreadPrefix() {
          return "rpc-socket-";
        }
      };

  /**
   * Joins the end {@code left} builds on its transport (an {@link RpcConnection}, a {@link
   * RawPeer}) to the end {@code right} builds, then starts delivering to both.
   */
  <L extends TransportListener, R extends TransportListener> Ends<L, R> join(
      Function<Transport, L> left, Function<Transport, R> right);

  /** How the names of the threads that deliver messages (the transport's I/O threads) begin. */
  String ioThreadPrefix();

  /** The two ends of one connection. */
  record Ends<L, R>(L left, R right) {}
}
