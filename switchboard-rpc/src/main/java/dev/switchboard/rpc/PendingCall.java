package dev.switchboard.rpc;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Id;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Response;
import dev.switchboard.jsonrpc.TraceContext;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * One of our calls awaiting its answer. Completed exactly once by whoever removes it from the
 * pending map, or refused before it got there; either way its observation ends then.
 */
final class PendingCall<T> {

  final Id id;
  final String method;
  final Duration timeout;
  final RpcFuture<T> future;

  /**
   * Keepalive pings are not user traffic: they neither count as activity nor against the pending
   * limit.
   */
  final boolean internal;

  private final JavaType resultType;

  /** Written by the caller's thread after registration; read by whoever completes. */
  private volatile ScheduledFuture<?> timer;

  /**
   * Set by the caller's thread before the call is registered: the pending map's put publishes it to
   * whoever completes the call.
   */
  private RpcObserver.Observation observation = RpcObserver.Observation.NONE;

  PendingCall(
      Id id,
      String method,
      Duration timeout,
      JavaType resultType,
      RpcFuture<T> future,
      boolean internal) {
    this.id = id;
    this.method = method;
    this.timeout = timeout;
    this.resultType = resultType;
    this.future = future;
    this.internal = internal;
  }

  /** Observes the call; before it is registered. Returns what the request carries. */
  Optional<TraceContext> observe(RpcObserver.Observation value) {
    observation = value;
    return Observations.outgoing(value);
  }

  void timer(ScheduledFuture<?> timer) {
    this.timer = timer;
    if (future.isDone()) {
      timer.cancel(false);
    }
  }

  void cancelTimer() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  @SuppressWarnings("unchecked")
  void answer(Response response) {
    cancelTimer();
    Observations.answered(observation, response);
    switch (response) {
      case Response.Success success -> {
        T value;
        try {
          value =
              resultType.getRawClass() == JsonNode.class
                  ? (T) success.result()
                  : Json.mapper().treeToValue(success.result(), resultType);
        } catch (Exception e) {
          future.failOffThread(
              new IllegalStateException(
                  "cannot bind the result of '"
                      + method
                      + "' to "
                      + resultType
                      + ": "
                      + e.getMessage(),
                  e));
          return;
        }
        future.completeOffThread(value);
      }
      case Response.Failure failure -> future.failOffThread(new RpcException(failure.error()));
    }
  }

  /** Fails the call locally: timed out, closed, not sent. */
  void fail(RuntimeException failure) {
    cancelTimer();
    Observations.failed(observation, code(failure));
    future.failOffThread(failure);
  }

  /** Fails the call before it was registered, on the caller's thread. */
  void refuse(RuntimeException failure) {
    Observations.failed(observation, code(failure));
    future.completeExceptionally(failure);
  }

  /** The user cancelled the future. */
  void cancelled() {
    cancelTimer();
    Observations.failed(observation, ErrorObject.CANCELLED);
  }

  /** The code a call that failed here ends with (see {@link RpcObserver}). */
  private static int code(RuntimeException failure) {
    return switch (failure) {
      case CallTimeoutException timeout -> ErrorObject.DEADLINE_EXCEEDED;
      case ConnectionClosedException closed -> RpcObserver.CONNECTION_CLOSED;
      case OutboundQueueFullException full -> RpcObserver.QUEUE_FULL;
      case PendingCallsLimitException limit -> RpcObserver.PENDING_LIMIT;
      default -> RpcObserver.UNSENDABLE; // over maxMessageBytes, or not encodable
    };
  }
}
