package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport over a TCP socket on loopback: the real-socket twin of {@link InMemoryTransport}, for
 * the RPC peer's specs (the rpc module cannot use the WebSocket client or server, which depend on
 * it). It behaves as a WebSocket does where the peer can tell:
 *
 * <ul>
 *   <li>Frames carry whole messages: a type byte, a length, the payload. JSON travels as text
 *       frames, MessagePack as binary ones.
 *   <li>One platform thread per end reads and delivers (the end's I/O thread); one writes, draining
 *       a queue, so {@link #send} never blocks. {@code send} returns false once the transport is
 *       closing or when {@code capacity} messages wait to be written.
 *   <li>{@link #sendPing()} sends a ping frame, which the other end's reader answers with a pong; a
 *       pong is reported as {@link TransportListener#alive()}.
 *   <li>{@link #close} sends a close frame (code and reason) after whatever is queued; the other
 *       end reports it with {@code transportClosed} and closes the socket, which ends this end with
 *       the code it sent. A socket that ends without a close frame is reported as 1006.
 * </ul>
 *
 * <p>Thread-safe. Each end reports {@code transportClosed} once, from its reader thread.
 */
final class SocketTransport implements Transport {

  /** The close code of a connection that ended without a close frame (RFC 6455). */
  static final int ABNORMAL = 1006;

  private static final byte TEXT = 'T';
  private static final byte BINARY = 'B';
  private static final byte PING = 'P';
  private static final byte PONG = 'O';
  private static final byte CLOSE = 'C';
  private static final AtomicLong PAIRS = new AtomicLong();

  private final Socket socket;
  private final String name;
  private final int capacity;

  /** Frames to write, in order; drained by the writer thread. */
  private final LinkedBlockingQueue<Frame> outbound = new LinkedBlockingQueue<>();

  /** Messages in {@link #outbound} (control frames do not count against the capacity). */
  private final AtomicInteger queuedMessages = new AtomicInteger();

  /** Set once a close frame was sent or received, or the socket ended: nothing more is sent. */
  private final AtomicBoolean closing = new AtomicBoolean();

  private final AtomicBoolean reported = new AtomicBoolean();

  /** The close frame this end sent, reported once the other end then closes the socket. */
  private volatile CloseReason sentClose;

  /** Set by {@link #start}, before the threads that read it start. */
  private TransportListener listener;

  private Thread writer;

  private record Frame(byte type, byte[] payload) {}

  /** Two ends joined by a socket on loopback. */
  record Pair(SocketTransport left, SocketTransport right) {}

  private SocketTransport(Socket socket, String name, int capacity) {
    this.socket = socket;
    this.name = name;
    this.capacity = capacity;
  }

  /** Two ends joined over loopback, each queueing up to {@code capacity} messages. */
  static Pair pair(int capacity) {
    String prefix = "socket-" + PAIRS.incrementAndGet();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
      Socket left = new Socket(loopback, server.getLocalPort());
      Socket right = server.accept();
      left.setTcpNoDelay(true);
      right.setTcpNoDelay(true);
      return new Pair(
          new SocketTransport(left, prefix + "-left", capacity),
          new SocketTransport(right, prefix + "-right", capacity));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts reading into {@code value} and writing what was queued. Called once. */
  void start(TransportListener value) {
    listener = Objects.requireNonNull(value, "listener");
    writer = Thread.ofPlatform().name("rpc-" + name + "-writer").daemon().start(this::write);
    Thread.ofPlatform().name("rpc-" + name + "-reader").daemon().start(this::read);
  }

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (closing.get()) {
      return false;
    }
    if (queuedMessages.incrementAndGet() > capacity) {
      queuedMessages.decrementAndGet();
      return false;
    }
    outbound.add(new Frame(encoding == Encoding.JSON ? TEXT : BINARY, bytes));
    return true;
  }

  @Override
  public boolean sendPing() {
    if (closing.get()) {
      return false;
    }
    outbound.add(new Frame(PING, new byte[0]));
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (closing.compareAndSet(false, true)) {
      sentClose = new CloseReason(code, reason);
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      outbound.add(
          new Frame(
              CLOSE,
              ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array()));
    }
  }

  /** Cuts the connection with no close frame, as a network failure would. */
  void drop() {
    closing.set(true);
    try {
      socket.setSoLinger(true, 0); // a reset, not an orderly end
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  @Override
  public String describe() {
    return name + " " + socket.getRemoteSocketAddress();
  }

  private void read() {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      while (true) {
        byte type = in.readByte();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        switch (type) {
          case TEXT -> listener.receive(Encoding.JSON, payload);
          case BINARY -> listener.receive(Encoding.MSGPACK, payload);
          case PING -> outbound.add(new Frame(PONG, new byte[0]));
          case PONG -> listener.alive();
          case CLOSE -> {
            closing.set(true);
            ByteBuffer close = ByteBuffer.wrap(payload);
            int code = Short.toUnsignedInt(close.getShort());
            report(code, StandardCharsets.UTF_8.decode(close).toString());
            return;
          }
          default -> throw new IOException("unknown frame type " + type);
        }
      }
    } catch (IOException ended) {
      closing.set(true);
      CloseReason sent = sentClose;
      if (sent != null) {
        report(sent.code(), sent.reason());
      } else {
        report(ABNORMAL, "the connection dropped: " + ended.getMessage());
      }
    } finally {
      closeSocket();
      writer.interrupt();
    }
  }

  private void write() {
    try {
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
      while (true) {
        Frame frame = outbound.take();
        if (frame.type() == TEXT || frame.type() == BINARY) {
          queuedMessages.decrementAndGet();
        }
        out.writeByte(frame.type());
        out.writeInt(frame.payload().length);
        out.write(frame.payload());
        if (frame.type() == CLOSE) {
          out.flush();
          socket.shutdownOutput();
          return;
        }
        if (outbound.isEmpty()) {
          out.flush();
        }
      }
    } catch (InterruptedException | IOException ended) {
      closeSocket(); // the reader then reports the end
    }
  }

  private void report(int code, String reason) {
    if (reported.compareAndSet(false, true)) {
      listener.transportClosed(code, reason);
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  @Override
  public String toString() {
    return "SocketTransport{" + name + (closing.get() ? ", closing" : "") + "}";
  }
}
