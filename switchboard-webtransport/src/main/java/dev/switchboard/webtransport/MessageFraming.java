package dev.switchboard.webtransport;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whole messages on a byte stream, as Switchboard's JSON-RPC stream carries them: {@link #lines}
 * (each message a compact JSON text followed by {@code \n}) or {@link #lengthPrefixed} (each
 * message its length as a QUIC varint, then its bytes: MessagePack). A decoder takes the stream's
 * bytes as they arrive, split anywhere, and hands out whole messages; one past the size limit is an
 * error. Not thread-safe: a decoder belongs to one stream.
 */
public abstract sealed class MessageFraming
    permits MessageFraming.Lines, MessageFraming.LengthPrefixed {

  /** A message over the limit, or a malformed length. */
  public static final class FramingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FramingException(String message) {
      super(message);
    }
  }

  final int maxMessageBytes;

  private MessageFraming(int maxMessageBytes) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be positive, got " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Newline-delimited messages (JSON texts, which never hold a raw newline). */
  public static MessageFraming lines(int maxMessageBytes) {
    return new Lines(maxMessageBytes);
  }

  /** Messages each prefixed by its length as a QUIC varint (MessagePack). */
  public static MessageFraming lengthPrefixed(int maxMessageBytes) {
    return new LengthPrefixed(maxMessageBytes);
  }

  /**
   * The whole messages completed by {@code bytes}, in order.
   *
   * @throws FramingException when a message passes the size limit
   */
  public abstract List<byte[]> decode(byte[] bytes);

  /** {@code message} framed for the stream: a new array. */
  public abstract byte[] encode(byte[] message);

  /** {@code \n} after each message. */
  static final class Lines extends MessageFraming {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private Lines(int maxMessageBytes) {
      super(maxMessageBytes);
    }

    @Override
    public List<byte[]> decode(byte[] bytes) {
      List<byte[]> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          append(bytes, start, i - start);
          byte[] message = partial.toByteArray();
          partial.reset();
          if (message.length > 0) { // blank lines are keepalive noise, not messages
            out.add(message);
          }
          start = i + 1;
        }
      }
      append(bytes, start, bytes.length - start);
      return out;
    }

    private void append(byte[] bytes, int from, int length) {
      if (partial.size() + length > maxMessageBytes) {
        throw new FramingException(
            "a message is longer than " + maxMessageBytes + " bytes (no newline within the limit)");
      }
      partial.write(bytes, from, length);
    }

    @Override
    public byte[] encode(byte[] message) {
      byte[] framed = new byte[message.length + 1];
      System.arraycopy(message, 0, framed, 0, message.length);
      framed[message.length] = '\n';
      return framed;
    }
  }

  /** A QUIC varint length before each message. */
  static final class LengthPrefixed extends MessageFraming {
    private final QuicVarint.Reader length = new QuicVarint.Reader();
    private byte[] message;
    private int filled;

    private LengthPrefixed(int maxMessageBytes) {
      super(maxMessageBytes);
    }

    @Override
    public List<byte[]> decode(byte[] bytes) {
      List<byte[]> out = new ArrayList<>();
      io.netty.buffer.ByteBuf in = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
      while (in.isReadable()) {
        if (message == null) {
          long n = length.read(in);
          if (n < 0) {
            break;
          }
          if (n > maxMessageBytes) {
            throw new FramingException(
                "a message of " + n + " bytes is longer than " + maxMessageBytes + " bytes");
          }
          message = new byte[(int) n];
          filled = 0;
        }
        int take = Math.min(in.readableBytes(), message.length - filled);
        in.readBytes(message, filled, take);
        filled += take;
        if (filled == message.length) {
          out.add(message);
          message = null;
        }
      }
      return out;
    }

    @Override
    public byte[] encode(byte[] message) {
      Objects.requireNonNull(message, "message");
      byte[] prefix = QuicVarint.encode(message.length);
      byte[] framed = new byte[prefix.length + message.length];
      System.arraycopy(prefix, 0, framed, 0, prefix.length);
      System.arraycopy(message, 0, framed, prefix.length, message.length);
      return framed;
    }
  }
}
