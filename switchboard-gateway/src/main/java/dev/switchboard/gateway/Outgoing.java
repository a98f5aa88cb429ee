package dev.switchboard.gateway;

import dev.switchboard.jsonrpc.Encoding;
import java.util.Objects;
import java.util.Optional;

/**
 * One whole message on its way to a device. The bytes are shared between recipients and never
 * modified.
 *
 * @param priority present for notifications; RPC traffic (answers, calls) has none and is never
 *     dropped
 */
public record Outgoing(Encoding encoding, byte[] bytes, Optional<Priority> priority) {

  public Outgoing {
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(priority, "priority");
  }

  /** A notification's encoded message (JSON). */
  public static Outgoing notification(byte[] bytes, Priority priority) {
    return new Outgoing(Encoding.JSON, bytes, Optional.of(priority));
  }

  /** An RPC message: never dropped. */
  public static Outgoing rpc(Encoding encoding, byte[] bytes) {
    return new Outgoing(encoding, bytes, Optional.empty());
  }

  /** True when a slow device may lose this message (Low and Normal notifications). */
  public boolean droppable() {
    return priority.map(Priority::droppable).orElse(false);
  }

  public int size() {
    return bytes.length;
  }
}
