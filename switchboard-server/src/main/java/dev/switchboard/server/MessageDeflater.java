package dev.switchboard.server;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.Deflater;

/**
 * Compresses one whole message as permessage-deflate sends it when the sender keeps no context (RFC
 * 7692 section 7.2.1): raw deflate of the message alone, ended by a sync flush (never a final
 * block), the flush's trailing {@code 00 00 FF FF} taken off. The result depends on the message
 * only, so every connection can send the same bytes.
 *
 * <p>Thread-safe: each thread (in practice each event loop) keeps one {@link Deflater} and one
 * output buffer, reset after every message, instead of a deflater (about 256 KiB of native memory)
 * per connection or per message.
 */
final class MessageDeflater {

  /** zlib's default, and what Netty's permessage-deflate used here before. */
  static final int LEVEL = 6;

  private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

  /** A thread's output buffer is kept up to this size; a larger message gets a one-off buffer. */
  private static final int KEPT_BUFFER = 64 << 10;

  private static final ThreadLocal<Worker> WORKERS = ThreadLocal.withInitial(Worker::new);

  /** Messages deflated by this JVM, for tests that check a fan-out deflates once. */
  private static final LongAdder deflated = new LongAdder();

  private MessageDeflater() {}

  /** {@code message} compressed alone, without the sync flush's tail. */
  static byte[] deflate(byte[] message) {
    Worker worker = WORKERS.get();
    Deflater deflater = worker.deflater;
    try {
      deflater.setInput(message);
      byte[] out = worker.buffer;
      int length = 0;
      while (true) {
        length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
        if (length < out.length) {
          break; // the flush is complete only when it left room in the buffer
        }
        out = Arrays.copyOf(out, out.length * 2);
      }
      if (out.length <= KEPT_BUFFER) {
        worker.buffer = out;
      }
      if (length < TAIL.length
          || !Arrays.equals(out, length - TAIL.length, length, TAIL, 0, TAIL.length)) {
        throw new IllegalStateException("a sync flush did not end with 00 00 FF FF");
      }
      deflated.increment();
      return Arrays.copyOf(out, length - TAIL.length);
    } finally {
      deflater.reset();
    }
  }

  /** Messages deflated so far by this JVM. */
  static long deflatedCount() {
    return deflated.sum();
  }

  /** One thread's deflater and output buffer. */
  private static final class Worker {
    final Deflater deflater = new Deflater(LEVEL, true);
    byte[] buffer = new byte[8 << 10];
  }
}
