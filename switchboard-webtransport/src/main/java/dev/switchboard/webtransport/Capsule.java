package dev.switchboard.webtransport;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A capsule (RFC 9297) on a WebTransport session's CONNECT stream, as far as the session cares: the
 * close and drain capsules of the WebTransport draft, and every other type, which is skipped.
 */
sealed interface Capsule {
  /** CLOSE_WEBTRANSPORT_SESSION. */
  long CLOSE_TYPE = 0x2843;

  /** DRAIN_WEBTRANSPORT_SESSION. */
  long DRAIN_TYPE = 0x78ae;

  /** The longest close reason the draft allows, in UTF-8 bytes. */
  int MAX_REASON_BYTES = 1024;

  /** The peer closes the session with an application code and a reason. */
  record Close(int code, String reason) implements Capsule {
    /** Rejects a null reason and one longer than {@value #MAX_REASON_BYTES} UTF-8 bytes. */
    public Close {
      Objects.requireNonNull(reason, "reason");
      int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_REASON_BYTES) {
        throw new IllegalArgumentException(
            "close reason is " + bytes + " UTF-8 bytes, the limit is " + MAX_REASON_BYTES);
      }
    }
  }

  /** The peer asks for the session to be wound down. */
  record Drain() implements Capsule {}

  /** A capsule of a type this layer does not know (grease, datagram capsules...), skipped. */
  record Unknown(long type, long length) implements Capsule {}
}
