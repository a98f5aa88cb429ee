package dev.switchboard.server;

import dev.switchboard.gateway.Outgoing;
import dev.switchboard.jsonrpc.Codec;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.webtransport.MessageFraming;
import dev.switchboard.webtransport.WebTransportSession;
import dev.switchboard.webtransport.WtStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Session}'s bytes over WebTransport: the first bidirectional stream the client opens
 * carries its JSON-RPC messages, each a compact JSON text followed by {@code \n}, or, for a session
 * opened with {@code ?encoding=msgpack}, MessagePack each prefixed by its length as a QUIC varint.
 * A notification is framed once for all WebTransport devices of its form ({@link
 * Outgoing#rendered}); for MessagePack sessions a JSON notification is transcoded, once too.
 * Closing closes the WebTransport session with the code and reason (its close capsule).
 */
final class WebTransportSink implements SessionSink {

  /** The rendered forms of an outgoing message on a WebTransport RPC stream. */
  private enum Form {
    LINES,
    LENGTH_PREFIXED
  }

  private final WebTransportSession transport;
  private final WtStream stream;
  private final Encoding encoding;
  private final MessageFraming framing;
  private final String remote;
  private final AtomicBoolean ended = new AtomicBoolean();

  WebTransportSink(
      WebTransportSession transport,
      WtStream stream,
      Encoding encoding,
      int maxMessageBytes,
      String remote) {
    this.transport = transport;
    this.stream = stream;
    this.encoding = encoding;
    this.framing =
        encoding == Encoding.JSON
            ? MessageFraming.lines(maxMessageBytes)
            : MessageFraming.lengthPrefixed(maxMessageBytes);
    this.remote = remote;
  }

  @Override
  public String transport() {
    return "wt";
  }

  @Override
  public String remote() {
    return remote;
  }

  @Override
  public void start(Session session) {
    stream.onData(
        bytes -> {
          List<byte[]> messages;
          try {
            messages = framing.decode(bytes);
          } catch (MessageFraming.FramingException e) {
            session.violation(CloseCodes.MESSAGE_TOO_BIG, e.getMessage());
            return;
          }
          messages.forEach(m -> session.received(encoding, m));
        });
    stream.onEnd(() -> close(new CloseReason(CloseReason.NORMAL, "the RPC stream ended")));
    stream.onReset(
        code -> session.transportClosed(CloseCodes.ABNORMAL, "the RPC stream was reset"));
    transport.onClose(
        (code, reason) -> {
          if (ended.compareAndSet(false, true)) {
            session.transportClosed(code, reason);
          }
        });
    if (transport.isClosed() && ended.compareAndSet(false, true)) {
      session.transportClosed(CloseCodes.ABNORMAL, "");
    }
  }

  @Override
  public void write(Outgoing message, Runnable done) {
    if (!isOpen()) {
      done.run();
      return;
    }
    Outgoing framed =
        encoding == Encoding.JSON
            ? message.rendered(Form.LINES, framing::encode)
            : message.rendered(
                Form.LENGTH_PREFIXED,
                bytes ->
                    framing.encode(Codec.transcode(bytes, message.encoding(), Encoding.MSGPACK)));
    stream.write(framed.bytes()).whenComplete((v, e) -> done.run());
  }

  /** No ping of its own: the RPC peer's {@code rpc.ping} keeps the session alive. */
  @Override
  public boolean ping() {
    return false;
  }

  @Override
  public void close(CloseReason reason) {
    transport.close(reason.code(), reason.reason());
  }

  @Override
  public void abort() {
    stream.reset(0);
    transport.close(CloseCodes.ABNORMAL, "aborted");
  }

  @Override
  public boolean isOpen() {
    return !transport.isClosed();
  }
}
