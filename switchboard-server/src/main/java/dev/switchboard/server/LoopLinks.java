package dev.switchboard.server;

import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcPeer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The link to one other node as one {@link RpcPeer}: a connection per event loop of this server
 * ({@link LinkTransport}), each call going out on the connection of the loop it is made on, so a
 * routed command crosses no thread of ours between the device's loop and the socket, and its answer
 * comes back on the same loop. Calls from other threads take the connections in turn. When one
 * connection closes the others are closed too, and the link reconnects as a whole.
 */
final class LoopLinks implements RpcPeer {

  private final List<RpcConnection> connections;
  private final Map<Context, RpcConnection> byLoop = new IdentityHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

  private LoopLinks(List<Context> loops, List<RpcConnection> connections) {
    this.connections = List.copyOf(connections);
    for (int i = 0; i < loops.size(); i++) {
      byLoop.put(loops.get(i), connections.get(i));
    }
    for (RpcConnection c : connections) {
      c.closeFuture()
          .whenComplete(
              (why, e) -> {
                if (closed.complete(
                    why == null ? new CloseReason(CloseReason.CONNECTION_LOST, "") : why)) {
                  connections.forEach(RpcConnection::close);
                }
              });
    }
  }

  /** Connects to {@code address} once per loop of {@code loops}; fails when any connect fails. */
  static CompletableFuture<RpcPeer> connect(
      WebSocketClient client,
      List<Context> loops,
      String address,
      Map<String, String> headers,
      RpcConfig config) {
    List<Future<RpcConnection>> opening = new ArrayList<>();
    for (Context loop : loops) {
      opening.add(LinkTransport.open(client, loop, address, headers, config));
    }
    CompletableFuture<RpcPeer> linked = new CompletableFuture<>();
    Future.join(opening)
        .onComplete(
            all -> {
              if (all.succeeded()) {
                linked.complete(
                    new LoopLinks(loops, opening.stream().map(Future::result).toList()));
                return;
              }
              opening.stream().filter(Future::succeeded).forEach(f -> f.result().close());
              linked.completeExceptionally(all.cause());
            });
    return linked;
  }

  /** The connection of the calling thread's event loop, else the next one in turn. */
  private RpcConnection pick() {
    Context here = Vertx.currentContext();
    RpcConnection own = here == null ? null : byLoop.get(here);
    if (own != null) {
      return own;
    }
    return connections.get(Math.floorMod(next.getAndIncrement(), connections.size()));
  }

  @Override
  public <T> CompletableFuture<T> call(String method, Params params, Class<T> resultType) {
    return pick().call(method, params, resultType);
  }

  @Override
  public <T> CompletableFuture<T> call(
      String method, Params params, Class<T> resultType, Duration timeout) {
    return pick().call(method, params, resultType, timeout);
  }

  @Override
  public boolean notify(String method, Params params) {
    return pick().notify(method, params);
  }

  @Override
  public Batch batch() {
    return pick().batch();
  }

  @Override
  public boolean isOpen() {
    return !closed.isDone() && connections.stream().allMatch(RpcConnection::isOpen);
  }

  @Override
  public CompletableFuture<CloseReason> closeFuture() {
    return closed;
  }

  @Override
  public void close() {
    connections.forEach(RpcConnection::close);
  }

  @Override
  public int pendingCalls() {
    return connections.stream().mapToInt(RpcConnection::pendingCalls).sum();
  }

  @Override
  public int callsInFlight() {
    return connections.stream().mapToInt(RpcConnection::callsInFlight).sum();
  }
}
