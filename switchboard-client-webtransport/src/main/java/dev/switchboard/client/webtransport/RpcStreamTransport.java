package dev.switchboard.client.webtransport;

import dev.switchboard.jsonrpc.Codec;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.Transport;
import dev.switchboard.rpc.TransportListener;
import dev.switchboard.webtransport.MessageFraming;
import dev.switchboard.webtransport.WebTransportSession;
import dev.switchboard.webtransport.WtStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An RPC connection's messages on a WebTransport session's RPC stream (the first bidirectional
 * stream the client opens): JSON texts each followed by {@code \n}, or MessagePack messages each
 * prefixed by its length as a QUIC varint. Sends are bounded: at most {@code maxQueued} messages
 * written and not yet taken by QUIC. Closing closes the session with the code and reason.
 */
final class RpcStreamTransport implements Transport {

  /** The close capsule carries a reason of at most 1024 UTF-8 bytes. */
  static final int MAX_REASON_BYTES = 1024;

  private final WebTransportSession session;
  private final WtStream stream;
  private final Encoding encoding;
  private final MessageFraming framing;
  private final int maxQueued;
  private final String name;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();

  RpcStreamTransport(
      WebTransportSession session,
      WtStream stream,
      Encoding encoding,
      int maxMessageBytes,
      int maxQueued,
      String name) {
    this.session = session;
    this.stream = stream;
    this.encoding = encoding;
    this.framing =
        encoding == Encoding.JSON
            ? MessageFraming.lines(maxMessageBytes)
            : MessageFraming.lengthPrefixed(maxMessageBytes);
    this.maxQueued = maxQueued;
    this.name = name;
  }

  /** Starts reading: whole messages go to {@code listener}, and the end of the session once. */
  void start(TransportListener listener) {
    stream.onData(
        bytes -> {
          List<byte[]> messages;
          try {
            messages = framing.decode(bytes);
          } catch (MessageFraming.FramingException e) {
            listener.close(CloseReason.MESSAGE_TOO_BIG, e.getMessage());
            return;
          }
          messages.forEach(m -> listener.receive(encoding, m));
        });
    stream.onEnd(() -> close(CloseReason.NORMAL, "the RPC stream ended"));
    stream.onReset(code -> session.close(CloseReason.CONNECTION_LOST, "the RPC stream was reset"));
    session.onClose(
        (code, reason) -> {
          if (ended.compareAndSet(false, true)) {
            listener.transportClosed(code == 0 ? CloseReason.CONNECTION_LOST : code, reason);
          }
        });
  }

  @Override
  public boolean send(Encoding messageEncoding, byte[] bytes) {
    if (session.isClosed() || queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      return false;
    }
    // Our replies follow the request's encoding; the stream carries one.
    byte[] framed = framing.encode(Codec.transcode(bytes, messageEncoding, encoding));
    stream.write(framed).whenComplete((v, e) -> queued.decrementAndGet());
    return true;
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, shortened(reason));
  }

  /** {@code reason} cut to what the close capsule carries, on a character boundary. */
  static String shortened(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    int end = reason.length();
    while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
      end--;
    }
    return reason.substring(0, end);
  }

  @Override
  public String describe() {
    return name;
  }
}
