package dev.switchboard.rpc;

import java.util.Objects;

/**
 * Two {@link RpcConnection}s joined in memory, with no socket between them: test your {@link
 * RpcMethods} the way Helidon's routing tests test routes, without a server.
 *
 * <pre>{@code
 * try (InMemoryLink link = InMemoryLink.open(RpcMethods.empty(), orders, RpcConfig.defaults())) {
 *   Receipt receipt = link.left().call("place", Params.of("tea", 2), Receipt.class).get(5, SECONDS);
 * }
 * }</pre>
 *
 * <p>Each end runs the same peer as over a WebSocket: params binding, errors, deadlines, {@code
 * rpc.cancel}, limits, batches, keepalive, and calls back from a handler through {@link
 * RpcCall#peer()}. What one end sends reaches the other whole and in order, on that end's own
 * delivery thread (a daemon platform thread standing for a socket's I/O thread: {@link
 * RpcMethod#nonBlocking() non-blocking} methods run on it, the others on virtual threads). What a
 * network transport adds is absent: keepalive uses {@code rpc.ping} (there are no ping frames), and
 * arriving messages are not checked for size or UTF-8. Each end's queue holds at most 10,000
 * undelivered messages; past that a call fails with {@link OutboundQueueFullException}, as over a
 * socket whose queue is full.
 *
 * <p>Thread-safe; no method blocks. Open one link per test and close it after use: {@link #close()}
 * closes both connections normally (1000), failing their pending calls with {@link
 * ConnectionClosedException}, and lets the delivery threads end.
 */
public interface InMemoryLink extends AutoCloseable {

  /** Joins a connection answering {@code leftMethods} to one answering {@code rightMethods}. */
  static InMemoryLink open(RpcMethods leftMethods, RpcMethods rightMethods, RpcConfig config) {
    return open(leftMethods, config, rightMethods, config);
  }

  /** Joins two connections with a config each (limits, timeouts, encoding, clock...). */
  static InMemoryLink open(
      RpcMethods leftMethods,
      RpcConfig leftConfig,
      RpcMethods rightMethods,
      RpcConfig rightConfig) {
    Objects.requireNonNull(leftMethods, "leftMethods");
    Objects.requireNonNull(leftConfig, "leftConfig");
    Objects.requireNonNull(rightMethods, "rightMethods");
    Objects.requireNonNull(rightConfig, "rightConfig");
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    RpcConnection left = RpcConnection.open(pair.left(), leftMethods, leftConfig);
    RpcConnection right = RpcConnection.open(pair.right(), rightMethods, rightConfig);
    pair.left().start(left);
    pair.right().start(right);
    return new RealInMemoryLink(left, right);
  }

  /** The end answering the left methods; its calls go to the right end. */
  RpcConnection left();

  /** The end answering the right methods; its calls go to the left end. */
  RpcConnection right();

  /** Closes both ends normally (1000). Idempotent. */
  @Override
  void close();
}
