package dev.switchboard.client;

import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.Transport;
import dev.switchboard.rpc.TransportListener;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.Utf8;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switchboard's own RFC 6455 client under an {@link RpcConnection}: a blocking socket (TLS from the
 * default {@code SSLContext} for {@code wss://}), one platform thread reading it ({@link
 * FrameReader}) and one writing it ({@link FrameWriter}), which puts every frame queued while it
 * was busy into its next single write.
 *
 * <p>Lifecycle: {@link #connect} opens the socket and shakes hands on a virtual thread; what is
 * sent before that waits in the queue. The reader thread ends the connection, once: on the server's
 * close frame (answered, unless we sent ours first), or when the socket fails or ends. It then
 * closes the socket and reports {@code transportClosed}. After our own close frame the server has
 * {@code closeTimeout} to answer before the socket is dropped.
 *
 * <p>Thread-safety: the {@link Transport} methods may be called from any thread and never block.
 */
final class SocketWebSocketTransport implements Transport, FrameReader.Listener {

  private static final Logger log = LoggerFactory.getLogger(SocketWebSocketTransport.class);

  /** How long we wait for the server's close frame before dropping the connection. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final URI uri;
  private final String name;
  private final Map<String, String> headers;
  private final Duration connectTimeout;
  private final Duration closeTimeout;
  private final int maxMessageBytes;

  /** Runs the close timeout. */
  private final ScheduledExecutorService scheduler;

  /** Thread-safe; queues before the socket exists. */
  private final FrameWriter writer;

  /** Set once by {@link #connect}, before the socket opens; never null after. */
  private volatile TransportListener connection;

  /**
   * Set once by the connecting thread after the handshake; null before (and forever if it failed).
   */
  private volatile WebSocketHandshake.Opened opened;

  /**
   * @throws IllegalArgumentException when {@code headers} holds one the handshake sets itself, or a
   *     line break
   */
  SocketWebSocketTransport(
      URI uri,
      Map<String, String> headers,
      Duration connectTimeout,
      int maxMessageBytes,
      int maxQueued,
      ScheduledExecutorService scheduler,
      Duration closeTimeout) {
    WebSocketHandshake.checkHeaders(headers);
    this.uri = uri;
    this.name = uri.toString();
    this.headers = Map.copyOf(headers);
    this.connectTimeout = connectTimeout;
    this.closeTimeout = closeTimeout;
    this.maxMessageBytes = maxMessageBytes;
    this.scheduler = scheduler;
    this.writer = new FrameWriter(maxQueued);
  }

  /**
   * Opens the socket on a virtual thread and starts reading into {@code rpc}. The future fails with
   * the handshake's {@link IOException} (or a TLS failure) when the connection cannot be opened.
   */
  CompletableFuture<Void> connect(TransportListener rpc) {
    connection = rpc;
    CompletableFuture<Void> connected = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("switchboard-connect " + name)
        .start(
            () -> {
              WebSocketHandshake.Opened socket;
              try {
                socket = WebSocketHandshake.open(uri, headers, connectTimeout);
                opened = socket;
                writer.start(socket.socket().getOutputStream(), name, this::writeFailed);
                if (writer
                    .closeQueued()) { // closed while we connected: the timeout may have found no
                  // socket to drop
                  startCloseTimeout();
                }
              } catch (IOException | RuntimeException e) {
                writer.stop();
                connected.completeExceptionally(e);
                return;
              }
              // A platform thread: a blocked socket read wakes it directly, where a virtual thread
              // waits for the JDK's
              // poller to hand it over; that cost about 100 us per round trip (bench rpc, p50 225
              // vs 330 us). A client
              // holds few connections, so one OS thread each is cheap.
              Thread.ofPlatform()
                  .daemon()
                  .name("switchboard-reader " + name)
                  .start(() -> read(socket));
              connected.complete(null);
            });
    return connected;
  }

  // ---- writing (any thread)

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    return writer.send(encoding == Encoding.JSON ? FrameWriter.TEXT : FrameWriter.BINARY, bytes);
  }

  @Override
  public boolean sendPing() {
    return writer.control(FrameWriter.PING, new byte[] {'s', 'b'});
  }

  @Override
  public void close(int code, String reason) {
    if (writer.close(code, reason)) {
      startCloseTimeout();
    }
  }

  private void startCloseTimeout() {
    try {
      scheduler.schedule(this::closeTimedOut, closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) { // the scheduler is shut down: no grace period then
      closeTimedOut();
    }
  }

  private void closeTimedOut() {
    WebSocketHandshake.Opened socket = opened;
    if (socket != null && !socket.raw().isClosed()) {
      log.debug(
          "{}: no close frame from the server within {} ms, dropping the connection",
          name,
          closeTimeout.toMillis());
      closeQuietly(socket.raw());
    }
  }

  private void writeFailed(IOException e) {
    log.debug("{}: write failed: {}", name, e.toString());
    WebSocketHandshake.Opened socket = opened;
    closeQuietly(socket.raw()); // the reader sees it and reports the end
  }

  // ---- reading (the reader thread)

  private void read(WebSocketHandshake.Opened socket) {
    try {
      new FrameReader(socket.in(), maxMessageBytes, this).readUntilClose();
    } catch (IOException | RuntimeException e) {
      if (e instanceof RuntimeException) {
        log.warn("{}: reading failed", name, e);
      } else {
        log.debug("{}: connection ended: {}", name, e.toString());
      }
      writer.stop();
      closeQuietly(socket.raw());
      connection.transportClosed(CloseCodes.ABNORMAL, String.valueOf(e.getMessage()));
    }
  }

  @Override
  public void onMessage(Encoding encoding, byte[] message) {
    if (encoding == Encoding.JSON && !Utf8.isValid(message, message.length)) {
      onFailure(CloseCodes.INVALID_PAYLOAD, "a text message is not valid UTF-8");
      return;
    }
    connection.receive(encoding, message);
  }

  @Override
  public void onPing(byte[] payload) {
    writer.control(FrameWriter.PONG, payload);
  }

  @Override
  public void onPong() {
    connection.alive();
  }

  @Override
  public void onFailure(int code, String reason) {
    log.warn("{}: closing with {}: {}", name, code, reason);
    connection.close(code, reason);
  }

  @Override
  public void onClose(int code, String reason) {
    log.debug("{}: the server closed ({} {})", name, code, reason);
    writer.close(code, ""); // echo its code, unless ours went first
    if (!writer.awaitFinished(closeTimeout)) {
      log.debug("{}: our close frame was not written within {} ms", name, closeTimeout.toMillis());
    }
    WebSocketHandshake.Opened socket = opened;
    closeQuietly(socket.socket());
    closeQuietly(socket.raw()); // a TLS socket may keep the TCP one open if its goodbye fails
    connection.transportClosed(code, reason);
  }

  private void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("{}: closing the socket failed: {}", name, e.toString());
    }
  }

  @Override
  public String describe() {
    return name;
  }
}
