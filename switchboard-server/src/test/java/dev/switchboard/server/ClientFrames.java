package dev.switchboard.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * WebSocket frames as a client puts them on the wire (RFC 6455 section 5.2), built byte by byte so
 * that a test can get any part wrong: the head byte (FIN, RSV1-3, opcode), the mask bit, the length
 * in any of its three widths, the masking key.
 */
final class ClientFrames {

  static final int FIN = 0x80;
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** The masking key of every frame built here. */
  static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

  private ClientFrames() {}

  /** A masked frame: {@code head}, the length in the fewest bytes, the payload. */
  static byte[] frame(int head, byte[] payload) {
    return concat(head(head, lengthBytes(payload.length), payload.length), masked(payload));
  }

  /** The same frame without a mask, as only a server may send it. */
  static byte[] unmaskedFrame(int head, byte[] payload) {
    byte[] masked = frame(head, payload);
    byte[] out = new byte[masked.length - MASK.length];
    int headLength = masked.length - payload.length - MASK.length;
    System.arraycopy(masked, 0, out, 0, headLength);
    out[1] &= 0x7F;
    System.arraycopy(payload, 0, out, headLength, payload.length);
    return out;
  }

  /**
   * A masked frame's head: {@code head}, then {@code length} in {@code width} more bytes (0: in the
   * second byte's 7 bits; 2 or 8), then the masking key.
   */
  static byte[] head(int head, int width, long length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(head);
    out.write(0x80 | (width == 0 ? (int) length : width == 2 ? 126 : 127));
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
      out.write((int) (length >>> shift) & 0xFF);
    }
    out.writeBytes(MASK);
    return out.toByteArray();
  }

  /** The fewest bytes RFC 6455 allows for {@code length} beyond the second byte's 7 bits. */
  static int lengthBytes(long length) {
    return length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
  }

  static byte[] masked(byte[] payload) {
    byte[] out = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      out[i] = (byte) (payload[i] ^ MASK[i & 3]);
    }
    return out;
  }

  /**
   * {@code message} as {@code parts} frames, the first of type {@code opcode}, the others
   * continuations, with a ping after the first when {@code ping}.
   */
  static byte[] fragments(int opcode, byte[] message, int parts, boolean ping) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int size = Math.ceilDiv(Math.max(message.length, 1), parts);
    for (int i = 0; i < parts; i++) {
      int from = Math.min(i * size, message.length);
      byte[] part = Arrays.copyOfRange(message, from, Math.min(from + size, message.length));
      out.writeBytes(frame((i == parts - 1 ? FIN : 0) | (i == 0 ? opcode : CONTINUATION), part));
      if (ping && i == 0) {
        out.writeBytes(frame(FIN | PING, new byte[] {1}));
      }
    }
    return out.toByteArray();
  }

  /** A close frame's payload: the code in two bytes, then the reason. */
  static byte[] closePayload(int code, String reason) {
    return closePayload(code, utf8(reason));
  }

  static byte[] closePayload(int code, byte[] reason) {
    return concat(new byte[] {(byte) (code >>> 8), (byte) code}, reason);
  }

  static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The first bytes in hex, for a failure message. */
  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 48))
        + (bytes.length > 48 ? "... (" + bytes.length + " bytes)" : "");
  }
}
