package dev.switchboard.jsonrpc;

import java.util.Objects;

/** A request without an {@code id} member: it gets no response, not even an error. */
public record Notification(String method, Params params) implements Message {
  public Notification {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
  }
}
