package dev.switchboard.client;

import dev.switchboard.websocket.CloseCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The sending half of a client WebSocket: a bounded queue of frames and the one virtual thread that
 * writes them. Senders never block; they queue and wake the writer. The writer takes everything
 * queued, masks each frame into one reusable buffer and hands the buffer to the socket in a single
 * write, so the frames queued during one write cost one system call next time, not one each.
 * Nothing is written after a close frame.
 *
 * <p>Thread-safety: {@link #send}, {@link #control}, {@link #close} and {@link #stop} may be called
 * from any thread, before or after {@link #start}.
 */
final class FrameWriter {

  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

  /**
   * A batch is written out at this size even if more is queued, so a deep backlog needs no deep
   * buffer.
   */
  private static final int BATCH_BYTES = 256 * 1024;

  /** A buffer grown past this for one large message is dropped after the write instead of kept. */
  private static final int RETAINED_BUFFER_BYTES = 1024 * 1024;

  private record Frame(int opcode, byte[] payload) {}

  private final int maxQueued;
  // Any thread.
  private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();

  /** Data frames queued and not yet encoded; bounded by {@link #maxQueued}. */
  private final AtomicInteger queuedData = new AtomicInteger();

  private final AtomicBoolean closeQueued = new AtomicBoolean();

  /** True while the writer is (about to be) parked; whoever flips it back unparks it. */
  private final AtomicBoolean asleep = new AtomicBoolean();

  /**
   * Completes when the writer thread ends: after the close frame, a failed write, or {@link
   * #stop()}.
   */
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  /** Set once by {@link #start}; null before. */
  private volatile Thread thread;

  private volatile boolean stopped;
  // The writer thread only.
  private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
  private int position;

  /**
   * Mask keys. RFC 6455 wants them unpredictable to the page that chose the payload; a
   * per-connection generator seeded from SecureRandom gives that without a lock or a system call
   * per frame.
   */
  private final SplittableRandom masks = new SplittableRandom(new SecureRandom().nextLong());

  FrameWriter(int maxQueued) {
    this.maxQueued = maxQueued;
  }

  /**
   * Queues a data frame; false when the queue holds {@code maxQueued} already, a close frame is
   * queued, or the writer was stopped.
   */
  boolean send(int opcode, byte[] payload) {
    if (closeQueued.get() || stopped) {
      return false;
    }
    if (queuedData.incrementAndGet() > maxQueued) {
      queuedData.decrementAndGet();
      return false;
    }
    queue.add(new Frame(opcode, payload));
    wake();
    return true;
  }

  /**
   * Queues a ping or pong (outside the bound: they are small and few); false after the close frame.
   */
  boolean control(int opcode, byte[] payload) {
    if (closeQueued.get() || stopped) {
      return false;
    }
    queue.add(new Frame(opcode, payload));
    wake();
    return true;
  }

  /**
   * Queues the close frame, the last one written; true when this call queued it, false if one was
   * already.
   */
  boolean close(int code, String reason) {
    if (!closeQueued.compareAndSet(false, true)) {
      return false;
    }
    queue.add(new Frame(CLOSE, closePayload(code, reason)));
    wake();
    return true;
  }

  boolean closeQueued() {
    return closeQueued.get();
  }

  /** Starts the writer thread on {@code out}; {@code onFailure} hears of a write that failed. */
  void start(OutputStream out, String name, Consumer<IOException> onFailure) {
    Thread writer =
        Thread.ofVirtual().name("switchboard-writer " + name).unstarted(() -> run(out, onFailure));
    thread = writer;
    writer.start();
  }

  /** Ends the writer thread without writing what is queued: the connection is gone. */
  void stop() {
    stopped = true;
    Thread writer = thread;
    if (writer != null) {
      LockSupport.unpark(writer);
    } else {
      finished.complete(null);
    }
  }

  /** Waits up to {@code timeout} for the writer thread to end; true if it did. */
  boolean awaitFinished(Duration timeout) {
    try {
      finished.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void wake() {
    // Pairs with sleep(): we queued before reading the flag, it set the flag before looking at the
    // queue, so
    // one of us sees the other.
    if (asleep.get() && asleep.compareAndSet(true, false)) {
      LockSupport.unpark(thread);
    }
  }

  private void run(OutputStream out, Consumer<IOException> onFailure) {
    try {
      while (!stopped) {
        Frame frame = queue.poll();
        if (frame == null) {
          writeOut(out);
          sleep();
        } else {
          if (frame.opcode() <= BINARY) {
            queuedData.decrementAndGet();
          }
          encode(frame, out);
          if (frame.opcode() == CLOSE) {
            writeOut(out);
            return;
          }
        }
      }
    } catch (IOException e) {
      if (!stopped) {
        onFailure.accept(e);
      }
    } finally {
      finished.complete(null);
    }
  }

  private void sleep() {
    asleep.set(true);
    if (queue.isEmpty() && !stopped) {
      LockSupport.park(this);
    }
    asleep.set(false);
  }

  /**
   * Appends one masked frame (RFC 6455, section 5.2) to the buffer, writing the buffer out first if
   * full.
   */
  private void encode(Frame frame, OutputStream out) throws IOException {
    byte[] payload = frame.payload();
    int length = payload.length;
    int size = 2 + (length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8) + 4 + length;
    if (position > 0 && position + size > BATCH_BYTES) {
      writeOut(out);
    }
    if (buffer.length - position < size) {
      buffer = Arrays.copyOf(buffer, Math.max(position + size, buffer.length * 2));
    }
    byte[] b = buffer;
    int p = position;
    b[p++] = (byte) (0x80 | frame.opcode()); // FIN: we never fragment
    if (length <= 125) {
      b[p++] = (byte) (0x80 | length);
    } else if (length <= 0xFFFF) {
      b[p++] = (byte) (0x80 | 126);
      b[p++] = (byte) (length >>> 8);
      b[p++] = (byte) length;
    } else {
      b[p++] = (byte) (0x80 | 127);
      LONGS.set(b, p, (long) length);
      p += 8;
    }
    int key = masks.nextInt();
    INTS.set(b, p, key);
    p += 4;
    mask(payload, b, p, key);
    position = p + length;
  }

  /**
   * Copies {@code src} into {@code dst} at {@code at}, XORed with the big-endian {@code key}, 8
   * bytes a step.
   */
  static void mask(byte[] src, byte[] dst, int at, int key) {
    long key8 = ((long) key << 32) | (key & 0xFFFFFFFFL);
    int i = 0;
    for (int end = src.length - 7; i < end; i += 8) {
      LONGS.set(dst, at + i, (long) LONGS.get(src, i) ^ key8);
    }
    for (; i < src.length; i++) {
      dst[at + i] = (byte) (src[i] ^ (key >>> (24 - 8 * (i & 3))));
    }
  }

  private void writeOut(OutputStream out) throws IOException {
    if (position == 0) {
      return;
    }
    out.write(buffer, 0, position);
    out.flush();
    position = 0;
    if (buffer.length > RETAINED_BUFFER_BYTES) {
      buffer = new byte[INITIAL_BUFFER_BYTES];
    }
  }

  /** Code and reason, the reason cut to fit a control frame without splitting a character. */
  static byte[] closePayload(int code, String reason) {
    if (code == CloseCodes.NO_STATUS) { // never sent: an empty close frame says it
      return new byte[0];
    }
    byte[] text = CloseCodes.fitReason(reason).getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    return payload;
  }
}
