package dev.switchboard.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Params;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One end of a connection, as its user sees it: call the other end, notify it, close.
 *
 * <p>Thread-safe; no method blocks. Returned futures complete off the transport's I/O thread
 * whenever they have dependent stages, and their {@code *Async} stages run on virtual threads. A
 * call fails with {@link RpcException} when the peer answers with an error, {@link
 * CallTimeoutException} when its timeout passes (the peer is then sent {@code rpc.cancel}), {@link
 * ConnectionClosedException} when the connection closes first, and {@link
 * PendingCallsLimitException} when too many calls are pending. Cancelling the future sends {@code
 * rpc.cancel} too.
 */
public interface RpcPeer {

  /** Calls {@code method} and binds its result to {@code resultType}, with the default timeout. */
  <T> CompletableFuture<T> call(String method, Params params, Class<T> resultType);

  <T> CompletableFuture<T> call(
      String method, Params params, Class<T> resultType, Duration timeout);

  /** Calls {@code method} and returns its raw result. */
  default CompletableFuture<JsonNode> call(String method, Params params) {
    return call(method, params, JsonNode.class);
  }

  /** Sends a notification (no answer). Returns false when the connection is closed. */
  boolean notify(String method, Params params);

  /** Starts a batch: calls and notifications sent together as one JSON-RPC batch. */
  Batch batch();

  boolean isOpen();

  /** Completes once, when the connection has closed, with why. */
  CompletableFuture<CloseReason> closeFuture();

  /**
   * Closes normally ({@link CloseReason#NORMAL}). Pending calls fail at once with {@link
   * ConnectionClosedException}.
   */
  void close();

  /** Our calls awaiting an answer. */
  int pendingCalls();

  /** The peer's calls running here. */
  int callsInFlight();

  /**
   * Calls and notifications sent together; build with {@link RpcPeer#batch()}, then {@link #send()}
   * once.
   */
  interface Batch {
    <T> CompletableFuture<T> call(String method, Params params, Class<T> resultType);

    Batch notify(String method, Params params);

    /**
     * Sends the batch. Throws {@link IllegalStateException} when it is empty or was sent already.
     */
    void send();
  }
}
