package dev.switchboard.gateway;

import dev.switchboard.jsonrpc.Encoding;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One whole message on its way to a device. The bytes are shared between recipients and never
 * modified; so is the message's compressed form, made once for all of them ({@link #compressed}).
 *
 * <p>Thread-safe. Equal only to itself: two messages with the same bytes are two deliveries.
 */
public final class Outgoing {

  private final Encoding encoding;
  private final byte[] bytes;
  private final Optional<Priority> priority;

  /** Guards the making of {@link #compressed}, so that only one thread compresses. */
  private final Object compressing = new Object();

  /** The compressed form once made; null until a recipient asks for it. */
  private volatile byte[] compressed;

  private Outgoing(Encoding encoding, byte[] bytes, Optional<Priority> priority) {
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    this.priority = Objects.requireNonNull(priority, "priority");
  }

  /** A notification's encoded message (JSON). */
  public static Outgoing notification(byte[] bytes, Priority priority) {
    return new Outgoing(Encoding.JSON, bytes, Optional.of(priority));
  }

  /** An RPC message: never dropped. */
  public static Outgoing rpc(Encoding encoding, byte[] bytes) {
    return new Outgoing(encoding, bytes, Optional.empty());
  }

  public Encoding encoding() {
    return encoding;
  }

  /** The message as it goes on the wire uncompressed; the caller must not modify it. */
  public byte[] bytes() {
    return bytes;
  }

  /** Present for notifications; RPC traffic (answers, calls) has none and is never dropped. */
  public Optional<Priority> priority() {
    return priority;
  }

  /** True when a slow device may lose this message (Low and Normal notifications). */
  public boolean droppable() {
    return priority.map(Priority::droppable).orElse(false);
  }

  public int size() {
    return bytes.length;
  }

  /**
   * This message's bytes as {@code compression} makes them, made by the first caller and shared
   * with every later one: a fan-out to many devices compresses once. A caller that comes while
   * another is compressing waits for its result (shorter than compressing again). The result lives
   * as long as this message does. Every caller must pass the same compression; the server has one,
   * permessage-deflate without context takeover.
   *
   * @return the compressed bytes; the caller must not modify them
   */
  public byte[] compressed(UnaryOperator<byte[]> compression) {
    byte[] result = compressed;
    if (result == null) {
      synchronized (compressing) {
        result = compressed;
        if (result == null) {
          result = Objects.requireNonNull(compression.apply(bytes), "compressed bytes");
          compressed = result;
        }
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return "Outgoing["
        + encoding
        + ", "
        + bytes.length
        + " bytes"
        + priority.map(p -> ", " + p).orElse("")
        + "]";
  }
}
