package dev.switchboard.client;

import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.Transport;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.MessageAssembler;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK WebSocket under an {@link RpcConnection}. The JDK allows one send in progress at a time,
 * so writes go through a bounded queue drained by whichever thread finds it idle. Listener
 * callbacks come one at a time on the HttpClient's executor; each asks for the next message only
 * after handing this one over.
 */
final class JdkWebSocketTransport implements Transport, WebSocket.Listener {

  private static final Logger log = LoggerFactory.getLogger(JdkWebSocketTransport.class);

  /** How long we wait for the server's close frame before dropping the connection. */
  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private sealed interface Out permits Data, Ping, Close {}

  private record Data(Encoding encoding, byte[] bytes) implements Out {}

  private record Ping() implements Out {}

  private record Close(int code, String reason) implements Out {}

  private static final byte[] PING = {'s', 'b'};

  private final String name;
  private final int maxMessageBytes;
  private final int maxQueued;
  private final Queue<Out> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile WebSocket socket;
  private volatile RpcConnection connection;
  // Listener state: touched only by the (sequential) listener callbacks.
  private final StringBuilder text = new StringBuilder();
  private final MessageAssembler binary;
  private boolean binaryStarts = true;

  JdkWebSocketTransport(String name, int maxMessageBytes, int maxQueued) {
    this.name = name;
    this.maxMessageBytes = maxMessageBytes;
    this.maxQueued = maxQueued;
    this.binary = new MessageAssembler(maxMessageBytes);
  }

  void attach(RpcConnection rpc) {
    this.connection = rpc;
  }

  // ---- writing

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    if (closing.get()) {
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      return false;
    }
    queue.add(new Data(encoding, bytes));
    drain();
    return true;
  }

  @Override
  public boolean sendPing() {
    if (closing.get()) {
      return false;
    }
    queue.add(new Ping());
    drain();
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (closing.compareAndSet(false, true)) {
      queue.add(new Close(code, CloseCodes.fitReason(reason))); // the JDK refuses a longer one
      drain();
    }
  }

  /**
   * Writes queued messages one at a time; loops instead of recursing when a send completes at once.
   */
  private void drain() {
    while (socket != null && writing.compareAndSet(false, true)) {
      Out next = queue.poll();
      if (next == null) {
        writing.set(false);
        if (queue.isEmpty()) {
          return;
        }
        continue;
      }
      CompletableFuture<WebSocket> sent = write(socket, next);
      if (sent.isDone()) {
        afterWrite(sent.state() == Future.State.FAILED ? sent.exceptionNow() : null);
        continue;
      }
      sent.whenComplete(
          (ws, failure) -> {
            afterWrite(failure);
            drain();
          });
      return;
    }
  }

  private CompletableFuture<WebSocket> write(WebSocket ws, Out out) {
    return switch (out) {
      case Data data -> {
        queued.decrementAndGet();
        yield data.encoding() == Encoding.JSON
            ? ws.sendText(new String(data.bytes(), StandardCharsets.UTF_8), true)
            : ws.sendBinary(ByteBuffer.wrap(data.bytes()), true);
      }
      case Ping ping -> ws.sendPing(ByteBuffer.wrap(PING));
      case Close close -> {
        // Drop the connection if the server never answers our close frame.
        CompletableFuture.delayedExecutor(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .execute(ws::abort);
        yield ws.sendClose(close.code(), close.reason());
      }
    };
  }

  private void afterWrite(Throwable failure) {
    if (failure != null && !closing.get()) {
      log.debug("{}: write failed: {}", name, failure.toString());
    }
    writing.set(false);
  }

  // ---- reading (listener callbacks, one at a time)

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    webSocket.request(1);
    drain();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (text.length() > maxMessageBytes) { // each char is at least one byte
      tooBig(text.length());
      return null;
    }
    if (last) {
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      text.setLength(0);
      if (bytes.length > maxMessageBytes) {
        tooBig(bytes.length);
        return null;
      }
      connection.receive(Encoding.JSON, bytes);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    boolean first = binaryStarts;
    binaryStarts = last;
    switch (binary.add(Encoding.MSGPACK, first, bytes, bytes.length, last)) {
      case MessageAssembler.Incomplete incomplete -> {}
      case MessageAssembler.Complete complete ->
          connection.receive(complete.encoding(), complete.bytes());
      case MessageAssembler.TooBig tooBig -> {
        tooBig(bytes.length);
        return null;
      }
    }
    webSocket.request(1);
    return null;
  }

  private void tooBig(long length) {
    String reason =
        "message of " + length + "+ bytes exceeds the limit of " + maxMessageBytes + " bytes";
    log.warn("{}: closing with 1009: {}", name, reason);
    text.setLength(0);
    connection.close(CloseCodes.MESSAGE_TOO_BIG, reason);
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    connection.alive();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closing.set(true);
    connection.transportClosed(statusCode, reason);
    return null; // the JDK answers the close frame now
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closing.set(true);
    log.debug("{}: connection failed: {}", name, error.toString());
    RpcConnection rpc = connection;
    if (rpc != null) {
      rpc.transportClosed(CloseCodes.ABNORMAL, String.valueOf(error.getMessage()));
    }
  }

  @Override
  public String describe() {
    return name;
  }
}
