package dev.switchboard.jsonrpc;

import java.util.Objects;

/** A malformed response: dropped without a reply; {@link #reason()} says why, for the log. */
public record Discarded(String reason) implements Entry {
  public Discarded {
    Objects.requireNonNull(reason, "reason");
  }
}
