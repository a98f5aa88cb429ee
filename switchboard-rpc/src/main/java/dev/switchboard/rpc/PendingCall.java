package dev.switchboard.rpc;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Id;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Response;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * One of our calls awaiting its answer. Completed exactly once by whoever removes it from the
 * pending map.
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

  void fail(Throwable failure) {
    cancelTimer();
    future.failOffThread(failure);
  }
}
