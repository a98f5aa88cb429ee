package dev.switchboard.client;

import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.MessageAssembler;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The receiving half of a client WebSocket: parses the server's frames (RFC 6455, section 5) from a
 * stream and reports them to a {@link Listener}. A protocol error (1002) or a message over the
 * limit (1009) is reported once; after it only the server's close frame matters, everything else is
 * skipped.
 *
 * <p>Not thread-safe: one reader thread per connection owns it and every field.
 */
final class FrameReader {

  /** What the reader saw, called on the reader thread. */
  interface Listener {
    /** A whole text (JSON) or binary (MessagePack) message. */
    void onMessage(Encoding encoding, byte[] message);

    void onPing(byte[] payload);

    void onPong();

    /** The server broke the protocol or sent too much: close with {@code code}. */
    void onFailure(int code, String reason);

    /**
     * The server's close frame: {@code 1005} when it had no code, {@code 1002} when it was
     * malformed.
     */
    void onClose(int code, String reason);
  }

  private static final int CONTINUATION = 0x0;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final InputStream in;
  private final int maxMessageBytes;
  private final Listener listener;
  private final MessageAssembler assembler;
  private final byte[] header = new byte[8];

  /** The encoding of the fragmented message being assembled; null between messages. */
  private Encoding fragmented;

  /** A failure was reported: skip everything until the server's close frame. */
  private boolean failed;

  FrameReader(InputStream in, int maxMessageBytes, Listener listener) {
    this.in = in;
    this.maxMessageBytes = maxMessageBytes;
    this.listener = listener;
    this.assembler = new MessageAssembler(maxMessageBytes);
  }

  /**
   * Reads frames until the server's close frame, which it reports before returning.
   *
   * @throws IOException when the stream fails or ends first
   */
  void readUntilClose() throws IOException {
    while (!readFrame()) {
      // next frame
    }
  }

  /** Reads one frame; true when it was the close frame. */
  private boolean readFrame() throws IOException {
    if (in.readNBytes(header, 0, 2) < 2) {
      throw new EOFException("the connection ended without a close frame");
    }
    int b0 = header[0] & 0xFF;
    int b1 = header[1] & 0xFF;
    boolean fin = (b0 & 0x80) != 0;
    int opcode = b0 & 0x0F;
    boolean masked = (b1 & 0x80) != 0;
    long length = b1 & 0x7F;
    if (length == 126) {
      readFully(header, 2);
      length = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
    } else if (length == 127) {
      readFully(header, 8);
      length =
          (long) LONGS.get(header, 0); // negative when the reserved top bit is set: an error below
    }
    if (failed || !acceptable(b0 & 0x70, opcode, fin, masked, length)) {
      if (opcode == FrameWriter.CLOSE && !masked && length >= 0 && length <= 125) {
        return close(readPayload((int) length));
      }
      in.skipNBytes(
          length < 0 || length > Long.MAX_VALUE - 4 ? Long.MAX_VALUE : length + (masked ? 4 : 0));
      return false;
    }
    byte[] payload = readPayload((int) length);
    switch (opcode) {
      case FrameWriter.TEXT -> deliver(Encoding.JSON, true, payload, fin);
      case FrameWriter.BINARY -> deliver(Encoding.MSGPACK, true, payload, fin);
      case CONTINUATION -> deliver(fragmented, false, payload, fin);
      case FrameWriter.PING -> listener.onPing(payload);
      case FrameWriter.PONG -> listener.onPong();
      default -> {
        return close(payload); // acceptable() let no other opcode through
      }
    }
    return false;
  }

  /** Whether a frame header is valid; if not, reports the failure. */
  private boolean acceptable(int rsv, int opcode, boolean fin, boolean masked, long length) {
    String error;
    int code = CloseCodes.PROTOCOL_ERROR;
    if (rsv != 0) {
      error = "RSV bits set, but no extension was negotiated";
    } else if (masked) {
      error = "the server masked a frame";
    } else if (length < 0) {
      error = "a frame length over 2^63";
    } else if (opcode >= FrameWriter.CLOSE) {
      error =
          opcode > FrameWriter.PONG
              ? "unknown control opcode " + opcode
              : !fin
                  ? "a fragmented control frame"
                  : length > 125
                      ? "a control frame of " + length + " bytes (the limit is 125)"
                      : null;
    } else if (opcode > FrameWriter.BINARY) {
      error = "unknown data opcode " + opcode;
    } else if (opcode == CONTINUATION && fragmented == null) {
      error = "a continuation frame without a message to continue";
    } else if (opcode != CONTINUATION && fragmented != null) {
      error = "a new message before the fragmented one ended";
    } else if (length > maxMessageBytes) { // before reading, so a lying length costs no memory
      error = "message of " + length + "+ bytes exceeds the limit of " + maxMessageBytes + " bytes";
      code = CloseCodes.MESSAGE_TOO_BIG;
    } else {
      error = null;
    }
    if (error != null) {
      fail(code, error);
    }
    return error == null;
  }

  private void deliver(Encoding encoding, boolean first, byte[] payload, boolean last) {
    switch (assembler.add(encoding, first, payload, payload.length, last)) {
      case MessageAssembler.Incomplete incomplete -> fragmented = encoding;
      case MessageAssembler.Complete complete -> {
        fragmented = null;
        listener.onMessage(complete.encoding(), complete.bytes());
      }
      case MessageAssembler.TooBig tooBig -> {
        fragmented = null;
        fail(CloseCodes.MESSAGE_TOO_BIG, tooBig.reason());
      }
    }
  }

  private void fail(int code, String reason) {
    failed = true;
    listener.onFailure(code, reason);
  }

  /** Reports the close frame's code and reason (section 5.5.1), or 1002 when they are malformed. */
  private boolean close(byte[] payload) {
    if (payload.length == 0) {
      listener.onClose(CloseCodes.NO_STATUS, "");
      return true;
    }
    int code = payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    if (!CloseCodes.isAllowedOnTheWire(code)) {
      listener.onClose(
          CloseCodes.PROTOCOL_ERROR, "the server's close frame has an invalid code " + code);
    } else {
      listener.onClose(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }
    return true;
  }

  private byte[] readPayload(int length) throws IOException {
    byte[] payload = new byte[length];
    readFully(payload, length);
    return payload;
  }

  private void readFully(byte[] bytes, int length) throws IOException {
    if (in.readNBytes(bytes, 0, length) < length) {
      throw new EOFException("the connection ended inside a frame");
    }
  }
}
