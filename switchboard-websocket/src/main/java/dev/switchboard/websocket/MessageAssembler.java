package dev.switchboard.websocket;

import dev.switchboard.jsonrpc.Encoding;
import java.util.Arrays;

/**
 * Joins WebSocket frame fragments into whole messages under a size limit, for transports whose
 * library hands over fragments. A message over the limit is refused as soon as its fragments pass
 * it, so it is never buffered whole.
 *
 * <p>Not thread-safe: one per connection, used by its reading thread only.
 */
public final class MessageAssembler {

  /** What a fragment completed. */
  public sealed interface Result permits Incomplete, Complete, TooBig {}

  /** More fragments are expected. */
  public record Incomplete() implements Result {}

  /** A whole message. */
  public record Complete(Encoding encoding, byte[] bytes) implements Result {}

  /**
   * The message passed the limit: close with {@link CloseCodes#MESSAGE_TOO_BIG} and {@link
   * #reason()}. What the assembler held is dropped.
   */
  public record TooBig(String reason) implements Result {}

  private static final Incomplete INCOMPLETE = new Incomplete();

  private final int maxBytes;
  private Encoding encoding;
  private byte[] buffer = new byte[0];
  private int size;

  /**
   * @param maxBytes the largest whole message accepted
   * @throws IllegalArgumentException when {@code maxBytes} is not positive
   */
  public MessageAssembler(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Adds a fragment: {@code bytes[0..length)}. {@code first} marks the first fragment of a message
   * (its frame type tells the encoding: text is JSON, binary MessagePack), {@code last} the final
   * one. An unfragmented message is returned without a copy when {@code length} is its whole array,
   * so the caller hands {@code bytes} over.
   */
  public Result add(Encoding frameEncoding, boolean first, byte[] bytes, int length, boolean last) {
    if (first) {
      encoding = frameEncoding;
      size = 0;
      if (last) { // the common case: an unfragmented message, no copy
        return length > maxBytes
            ? tooBig(length)
            : new Complete(encoding, length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
      }
    }
    if ((long) size + length > maxBytes) {
      long seen = (long) size + length;
      size = 0;
      buffer = new byte[0];
      return tooBig(seen);
    }
    if (buffer.length < size + length) {
      buffer =
          Arrays.copyOf(buffer, Math.min(maxBytes, Math.max(size + length, buffer.length * 2)));
    }
    System.arraycopy(bytes, 0, buffer, size, length);
    size += length;
    if (!last) {
      return INCOMPLETE;
    }
    byte[] message = Arrays.copyOf(buffer, size);
    size = 0;
    buffer = new byte[0];
    return new Complete(encoding, message);
  }

  private TooBig tooBig(long length) {
    return new TooBig(
        "message of " + length + "+ bytes exceeds the limit of " + maxBytes + " bytes");
  }
}
