package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the length
 * (1, 2, 4 or 8 bytes), the rest is the value in network byte order.
 */
final class QuicVarint {
  /** The largest value a varint can carry, 2^62 - 1. */
  static final long MAX = (1L << 62) - 1;

  private QuicVarint() {}

  /**
   * How many bytes {@code value} takes; throws {@link IllegalArgumentException} outside 0..2^62-1.
   */
  static int length(long value) {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("varint out of range 0.." + MAX + ": " + value);
    }
    if (value < 0x40) {
      return 1;
    }
    if (value < 0x4000) {
      return 2;
    }
    return value < 0x4000_0000 ? 4 : 8;
  }

  /** How many bytes the varint starting with {@code firstByte} takes. */
  static int lengthOf(byte firstByte) {
    return 1 << ((firstByte & 0xff) >> 6);
  }

  /** Writes {@code value} in its shortest form. */
  static void write(ByteBuf out, long value) {
    switch (length(value)) {
      case 1 -> out.writeByte((int) value);
      case 2 -> out.writeShort((int) value | 0x4000);
      case 4 -> out.writeInt((int) value | 0x8000_0000);
      default -> out.writeLong(value | 0xC000_0000_0000_0000L);
    }
  }

  /** {@code value} in its shortest form. */
  static byte[] encode(long value) {
    int n = length(value);
    byte[] bytes = new byte[n];
    for (int i = n - 1; i >= 0; i--) {
      bytes[i] = (byte) value;
      value >>>= 8;
    }
    bytes[0] |= (byte) ((Integer.numberOfTrailingZeros(n)) << 6);
    return bytes;
  }

  /**
   * Reads a whole varint from {@code in}, or returns -1 and consumes nothing when fewer bytes are
   * readable than it needs.
   */
  static long read(ByteBuf in) {
    if (!in.isReadable()) {
      return -1;
    }
    int n = lengthOf(in.getByte(in.readerIndex()));
    if (in.readableBytes() < n) {
      return -1;
    }
    long value = in.readByte() & 0x3f;
    for (int i = 1; i < n; i++) {
      value = (value << 8) | (in.readByte() & 0xff);
    }
    return value;
  }

  /**
   * Decodes one varint from bytes that may arrive over several buffers. Not thread-safe: one reader
   * belongs to one stream.
   */
  static final class Reader {
    private int remaining; // bytes still to read; 0 before the first byte
    private long value;

    /**
     * Consumes what it needs of {@code in}; returns the value once complete (then resets), else -1.
     */
    long read(ByteBuf in) {
      while (in.isReadable()) {
        byte b = in.readByte();
        if (remaining == 0) {
          remaining = lengthOf(b) - 1;
          value = b & 0x3f;
        } else {
          value = (value << 8) | (b & 0xff);
          remaining--;
        }
        if (remaining == 0) {
          long done = value;
          value = 0;
          return done;
        }
      }
      return -1;
    }

    /** Whether part of a varint has been read. */
    boolean inProgress() {
      return remaining != 0;
    }
  }
}
