package dev.switchboard.server;

import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseCodes;
import dev.switchboard.rpc.MessageAssembler;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.Transport;
import dev.switchboard.rpc.Utf8;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side WebSocket under an {@link RpcConnection}. Frames arrive on the connection's event loop and are
 * joined into messages here (so the size limit holds before a large message is buffered); writes may come from
 * any thread and Vert.x moves them onto the event loop.
 */
final class WebSocketTransport implements Transport {

  private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

  private static final byte[] PING = {'s', 'b'};

  private final ServerWebSocket socket;
  private final String name;
  /** Event-loop only. */
  private final MessageAssembler assembler;
  private volatile RpcConnection connection;
  private final int maxQueuedBytes;
  /** Bytes handed to Vert.x and not yet written to the socket; any thread. */
  private final AtomicLong queuedBytes = new AtomicLong();

  WebSocketTransport(ServerWebSocket socket, int maxMessageBytes, int maxQueuedBytes) {
    this.socket = socket;
    this.maxQueuedBytes = maxQueuedBytes;
    this.name = "ws " + socket.remoteAddress();
    this.assembler = new MessageAssembler(maxMessageBytes);
  }

  /** Wires the socket's events to {@code rpc}; call once, on the event loop, before any frame is read. */
  void attach(RpcConnection rpc) {
    this.connection = rpc;
    socket.frameHandler(this::onFrame);
    socket.closeHandler(v -> {
      Short code = socket.closeStatusCode();
      String reason = socket.closeReason();
      rpc.transportClosed(code == null ? CloseCodes.ABNORMAL : code, reason == null ? "" : reason);
    });
    socket.exceptionHandler(this::onException);
    socket.pongHandler(pong -> rpc.alive());
  }

  /**
   * Netty rejects a single frame over the limit before we see it; Vert.x would then close with 1000, so the
   * close code the decoder chose (1009 for size) is applied here, and logged.
   */
  private void onException(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus().code();
      log.warn("{}: closing with {}: {}", name, code, e.getMessage());
      connection.close(code, e.getMessage());
    } else {
      log.debug("{}: {}", name, e.toString());
    }
  }

  private void onFrame(WebSocketFrame frame) {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return; // ping, pong and close are Vert.x's business
    }
    boolean first = !frame.isContinuation();
    Buffer data = frame.binaryData();
    byte[] bytes = data.getBytes();
    Encoding encoding = frame.isBinary() ? Encoding.MSGPACK : Encoding.JSON;
    switch (assembler.add(encoding, first, bytes, bytes.length, frame.isFinal())) {
      case MessageAssembler.Incomplete incomplete -> {}
      case MessageAssembler.Complete complete -> {
        if (complete.encoding() == Encoding.JSON && !Utf8.isValid(complete.bytes(), complete.bytes().length)) {
          log.warn("{}: closing with 1007: a text message is not valid UTF-8", name);
          connection.close(CloseCodes.INVALID_PAYLOAD, "a text message is not valid UTF-8");
          return;
        }
        connection.receive(complete.encoding(), complete.bytes());
      }
      case MessageAssembler.TooBig tooBig -> {
        log.warn("{}: closing with 1009: {}", name, tooBig.reason());
        connection.close(CloseCodes.MESSAGE_TOO_BIG, tooBig.reason());
      }
    }
  }

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    if (socket.isClosed()) {
      return false;
    }
    if (queuedBytes.addAndGet(bytes.length) > maxQueuedBytes) {
      queuedBytes.addAndGet(-bytes.length);
      String reason = "slow consumer: more than " + maxQueuedBytes + " bytes queued and unread";
      log.warn("{}: closing with 1008: {}", name, reason);
      connection.close(CloseCodes.POLICY_VIOLATION, reason);
      return false;
    }
    Future<Void> written = switch (encoding) {
      case JSON -> socket.writeTextMessage(new String(bytes, StandardCharsets.UTF_8));
      case MSGPACK -> socket.writeBinaryMessage(Buffer.buffer(bytes));
    };
    written.onComplete(done -> queuedBytes.addAndGet(-bytes.length));
    return true;
  }

  @Override
  public boolean sendPing() {
    if (socket.isClosed()) {
      return false;
    }
    socket.writePing(Buffer.buffer(PING));
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (!socket.isClosed()) {
      // A close reason is limited to 123 bytes by RFC 6455.
      socket.close((short) code, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }
  }

  @Override
  public String describe() {
    return name;
  }
}
