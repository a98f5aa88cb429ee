package dev.switchboard.jsonrpc;

import java.util.Objects;
import java.util.Optional;

/**
 * A request without an {@code id} member: it gets no response, not even an error.
 *
 * @param traceContext the sender's W3C trace context, carried in our extension members {@code
 *     "traceparent"} and {@code "tracestate"}
 */
public record Notification(String method, Params params, Optional<TraceContext> traceContext)
    implements Message {
  public Notification {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(traceContext, "traceContext");
  }

  public Notification(String method, Params params) {
    this(method, params, Optional.empty());
  }
}
