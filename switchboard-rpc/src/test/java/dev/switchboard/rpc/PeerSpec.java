package dev.switchboard.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;

/**
 * What every spec of the RPC peer shares: the {@link Wire} its twin runs over, connections that
 * close after each test, and a timeout for every wait. A spec is an abstract class; {@code
 * RpcPeerInMemoryTest} and {@code RpcPeerSocketTest} run each one over their wire.
 */
abstract class PeerSpec {

  static final Duration WAIT = RawPeer.WAIT;

  private final List<Runnable> closeAfterTest = new ArrayList<>();

  /** What joins the two ends: memory or a socket. */
  abstract Wire wire();

  /** One connection: the caller calls, the callee answers (and may call the caller back). */
  record Link(RpcConnection caller, RpcConnection callee) {}

  /** A caller without methods of its own and a callee answering {@code calleeMethods}. */
  Link link(RpcMethods calleeMethods) {
    return link(calleeMethods, RpcConfig.defaults());
  }

  Link link(RpcMethods calleeMethods, RpcConfig calleeConfig) {
    return link(RpcMethods.empty(), RpcConfig.defaults(), calleeMethods, calleeConfig);
  }

  Link link(
      RpcMethods callerMethods,
      RpcConfig callerConfig,
      RpcMethods calleeMethods,
      RpcConfig calleeConfig) {
    Wire.Ends<RpcConnection, RpcConnection> ends =
        join(
            transport -> RpcConnection.open(transport, callerMethods, callerConfig),
            transport -> RpcConnection.open(transport, calleeMethods, calleeConfig));
    return new Link(ends.left(), ends.right());
  }

  /** A {@link RawPeer} joined to a callee answering {@code calleeMethods}. */
  RawPeer raw(RpcMethods calleeMethods, RpcConfig calleeConfig) {
    return join(
            RawPeer::new, transport -> RpcConnection.open(transport, calleeMethods, calleeConfig))
        .left();
  }

  /** Joins two ends over the twin's wire; the connections among them close after the test. */
  <L extends TransportListener, R extends TransportListener> Wire.Ends<L, R> join(
      Function<Transport, L> left, Function<Transport, R> right) {
    Wire.Ends<L, R> ends = wire().join(left, right);
    for (TransportListener end : List.of(ends.left(), ends.right())) {
      if (end instanceof RpcConnection connection) {
        closeAfterTest.add(connection::close);
      }
    }
    return ends;
  }

  static RpcMethods methodsOf(Object service) {
    return RpcMethods.builder().register(service).build();
  }

  /** Why {@code future} failed, waiting at most {@link #WAIT}; an assertion error if it did not. */
  static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("expected the call to fail, got " + e, e);
    }
    throw new AssertionError("expected the call to fail, but it succeeded");
  }

  @AfterEach
  void closeConnections() {
    closeAfterTest.forEach(Runnable::run);
  }
}
