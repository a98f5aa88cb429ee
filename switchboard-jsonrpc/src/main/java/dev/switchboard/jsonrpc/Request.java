package dev.switchboard.jsonrpc;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A call that expects a response.
 *
 * @param timeoutMillis the time the caller still waits for the answer, carried in our extension
 *     member {@code "timeout_ms"}; the callee counts its deadline from when the request arrived
 * @param traceContext the caller's W3C trace context, carried in our extension members {@code
 *     "traceparent"} and {@code "tracestate"}
 */
public record Request(
    Id id,
    String method,
    Params params,
    OptionalLong timeoutMillis,
    Optional<TraceContext> traceContext)
    implements Message {
  public Request {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(timeoutMillis, "timeoutMillis");
    Objects.requireNonNull(traceContext, "traceContext");
  }

  public Request(Id id, String method, Params params, OptionalLong timeoutMillis) {
    this(id, method, params, timeoutMillis, Optional.empty());
  }

  public Request(Id id, String method, Params params) {
    this(id, method, params, OptionalLong.empty(), Optional.empty());
  }
}
