package dev.switchboard.jsonrpc;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A call that expects a response.
 *
 * @param timeoutMillis the time the caller still waits for the answer, carried in our extension
 *     member {@code "timeout_ms"}; the callee counts its deadline from when the request arrived
 */
public record Request(Id id, String method, Params params, OptionalLong timeoutMillis)
    implements Message {
  public Request {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(timeoutMillis, "timeoutMillis");
  }

  public Request(Id id, String method, Params params) {
    this(id, method, params, OptionalLong.empty());
  }
}
