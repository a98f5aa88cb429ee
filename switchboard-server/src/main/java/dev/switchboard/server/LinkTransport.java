package dev.switchboard.server;

import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.Transport;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.MessageAssembler;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one node link, on Vert.x's WebSocket client and bound to the event loop it was
 * opened on: a call made on that loop is written without a thread switch, and its answer arrives on
 * it. Under it an {@link RpcConnection} speaks JSON-RPC, as on every other connection.
 */
final class LinkTransport implements Transport {

  private static final Logger log = LoggerFactory.getLogger(LinkTransport.class);

  private final WebSocket socket;
  private final MessageAssembler assembler;
  private final String name;
  private RpcConnection connection;

  private LinkTransport(WebSocket socket, int maxMessageBytes, String name) {
    this.socket = socket;
    this.assembler = new MessageAssembler(maxMessageBytes);
    this.name = name;
  }

  /**
   * Connects to {@code address} on {@code loop}'s event loop and opens an RPC connection over it.
   *
   * @param headers sent with the handshake (the API key)
   */
  static Future<RpcConnection> open(
      WebSocketClient client,
      Context loop,
      String address,
      Map<String, String> headers,
      RpcConfig config) {
    Promise<RpcConnection> opened = Promise.promise();
    loop.runOnContext(
        v -> {
          WebSocketConnectOptions options =
              new WebSocketConnectOptions().setAbsoluteURI(address + "?protocol=jsonrpc");
          headers.forEach(options::addHeader);
          client.connect(options).map(socket -> wire(socket, address, config)).onComplete(opened);
        });
    return opened.future();
  }

  private static RpcConnection wire(WebSocket socket, String address, RpcConfig config) {
    LinkTransport transport =
        new LinkTransport(socket, config.maxMessageBytes(), "node link to " + address);
    RpcConnection connection = RpcConnection.open(transport, RpcMethods.empty(), config);
    transport.connection = connection;
    socket.frameHandler(transport::onFrame);
    socket.pongHandler(pong -> connection.alive());
    socket.exceptionHandler(e -> log.debug("{}: {}", transport.name, e.toString()));
    socket.closeHandler(
        v -> {
          Short code = socket.closeStatusCode();
          String reason = socket.closeReason();
          connection.transportClosed(
              code == null ? CloseCodes.ABNORMAL : code, reason == null ? "" : reason);
        });
    if (socket.isClosed()) {
      connection.transportClosed(CloseCodes.ABNORMAL, "");
    }
    return connection;
  }

  private void onFrame(WebSocketFrame frame) {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return;
    }
    byte[] bytes = frame.binaryData().getBytes();
    Encoding encoding = frame.isBinary() ? Encoding.MSGPACK : Encoding.JSON;
    switch (assembler.add(
        encoding, !frame.isContinuation(), bytes, bytes.length, frame.isFinal())) {
      case MessageAssembler.Incomplete incomplete -> {}
      case MessageAssembler.Complete complete ->
          connection.receive(complete.encoding(), complete.bytes());
      case MessageAssembler.TooBig tooBig ->
          connection.close(CloseCodes.MESSAGE_TOO_BIG, tooBig.reason());
    }
  }

  /**
   * Writes one message as one frame; refused once the socket is closed. What waits to be written is
   * bounded by the link's calls in flight ({@code ClusterNode.LINK_MAX_CALLS}) and their answers,
   * not by Vert.x's write-queue mark, which a burst of small calls passes long before the other
   * node falls behind.
   */
  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    if (socket.isClosed()) {
      return false;
    }
    WebSocketFrameType type =
        encoding == Encoding.JSON ? WebSocketFrameType.TEXT : WebSocketFrameType.BINARY;
    socket.writeFrame(new WebSocketFrameImpl(type, Unpooled.wrappedBuffer(bytes), true));
    return true;
  }

  @Override
  public boolean sendPing() {
    if (socket.isClosed()) {
      return false;
    }
    socket.writePing(Buffer.buffer());
    return true;
  }

  @Override
  public void close(int code, String reason) {
    byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
    String shortened =
        utf8.length <= 123 ? reason : new String(utf8, 0, 120, StandardCharsets.UTF_8);
    socket.close((short) code, shortened);
  }

  @Override
  public String describe() {
    return name;
  }
}
