package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads capsules (type varint, length varint, payload) from the bytes of a CONNECT stream, which
 * may split a capsule anywhere. Payloads of unknown types are skipped without being held; a close
 * capsule holds at most 4 + {@value Capsule#MAX_REASON_BYTES} bytes. Not thread-safe: one reader
 * belongs to one session.
 */
final class CapsuleReader {
  private final QuicVarint.Reader varint = new QuicVarint.Reader();
  private long type = -1; // -1: reading the type
  private long length = -1; // -1: reading the length
  private long toSkip; // bytes of an unknown payload still to skip
  private ByteBuf payload; // a known capsule's payload being collected, or null
  private boolean closed; // a close capsule was read: nothing may follow

  /**
   * Consumes all of {@code in} and returns the capsules it completed, in order.
   *
   * @throws MalformedCapsuleException when a capsule breaks its type's rules, or data follows a
   *     close capsule
   */
  List<Capsule> read(ByteBuf in) {
    List<Capsule> out = new ArrayList<>(1);
    while (in.isReadable()) {
      if (closed) {
        throw new MalformedCapsuleException("data after CLOSE_WEBTRANSPORT_SESSION");
      }
      if (type < 0) {
        type = varint.read(in);
      } else if (length < 0) {
        length = varint.read(in);
        if (length >= 0) {
          begin(out);
        }
      } else if (payload == null) {
        int n = (int) Math.min(toSkip, in.readableBytes());
        in.skipBytes(n);
        toSkip -= n;
        if (toSkip == 0) {
          out.add(new Capsule.Unknown(type, length));
          reset();
        }
      } else {
        int n = Math.min(payload.writableBytes(), in.readableBytes());
        payload.writeBytes(in, n);
        if (!payload.isWritable()) {
          out.add(finish());
        }
      }
    }
    return out;
  }

  /** Whether a capsule has begun but not ended: a stream ending now ends mid-capsule. */
  boolean inProgress() {
    return type >= 0 || varint.inProgress();
  }

  private void begin(List<Capsule> out) {
    if (type == Capsule.CLOSE_TYPE) {
      if (length < 4 || length > 4 + Capsule.MAX_REASON_BYTES) {
        throw new MalformedCapsuleException(
            "CLOSE_WEBTRANSPORT_SESSION length "
                + length
                + " outside 4.."
                + (4 + Capsule.MAX_REASON_BYTES));
      }
      payload = Unpooled.buffer((int) length, (int) length);
    } else if (type == Capsule.DRAIN_TYPE) {
      if (length != 0) {
        throw new MalformedCapsuleException(
            "DRAIN_WEBTRANSPORT_SESSION length " + length + ", must be 0");
      }
      out.add(new Capsule.Drain());
      reset();
    } else if (length == 0) {
      out.add(new Capsule.Unknown(type, 0));
      reset();
    } else {
      toSkip = length;
    }
  }

  private Capsule finish() {
    int code = payload.readInt();
    ByteBuffer reasonBytes = payload.nioBuffer();
    payload = null;
    String reason;
    try {
      reason =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(reasonBytes)
              .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedCapsuleException("CLOSE_WEBTRANSPORT_SESSION reason is not UTF-8");
    }
    reset();
    closed = true;
    return new Capsule.Close(code, reason);
  }

  private void reset() {
    type = -1;
    length = -1;
    toSkip = 0;
  }
}
