package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebTransport session on its CONNECT stream. Fields without {@code volatile} are owned by the
 * connection's event loop; public methods hop onto it.
 */
final class SessionImpl implements WebTransportSession {
  private static final Logger log = LoggerFactory.getLogger(SessionImpl.class);

  private enum State {
    PENDING,
    OPEN,
    CLOSED
  }

  private final WtConnection connection;
  private final QuicStreamChannel connectStream;
  private final String query;
  private final CapsuleReader capsules = new CapsuleReader();
  private final Set<StreamImpl> streams = new LinkedHashSet<>();
  private final ArrayDeque<StreamImpl> newBidi = new ArrayDeque<>(); // waiting for a handler
  private final ArrayDeque<StreamImpl> newUni = new ArrayDeque<>(); // waiting for a handler
  private final List<CloseListener> closeListeners = new ArrayList<>();
  private volatile Consumer<WtStream> onBidi;
  private volatile Consumer<WtIncomingStream> onUni;
  private volatile Consumer<byte[]> onDatagram;
  private volatile State state = State.PENDING;
  private int closeCode;
  private String closeReason = "";

  SessionImpl(WtConnection connection, QuicStreamChannel connectStream, String query) {
    this.connection = connection;
    this.connectStream = connectStream;
    this.query = query;
  }

  @Override
  public long id() {
    return connectStream.streamId();
  }

  @Override
  public String query() {
    return query;
  }

  @Override
  public WebTransportSession onBidirectionalStream(Consumer<WtStream> handler) {
    onBidi = Objects.requireNonNull(handler, "handler");
    onLoop(this::drainNewStreams);
    return this;
  }

  @Override
  public WebTransportSession onUnidirectionalStream(Consumer<WtIncomingStream> handler) {
    onUni = Objects.requireNonNull(handler, "handler");
    onLoop(this::drainNewStreams);
    return this;
  }

  @Override
  public WebTransportSession onDatagram(Consumer<byte[]> handler) {
    onDatagram = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public WebTransportSession onClose(CloseListener listener) {
    Objects.requireNonNull(listener, "listener");
    onLoop(
        () -> {
          if (state == State.CLOSED) {
            listener.onClose(closeCode, closeReason);
          } else {
            closeListeners.add(listener);
          }
        });
    return this;
  }

  @Override
  public CompletionStage<WtStream> openBidirectionalStream() {
    return open(QuicStreamType.BIDIRECTIONAL, StreamHeader.BIDI_SIGNAL).thenApply(s -> s);
  }

  @Override
  public CompletionStage<WtOutgoingStream> openUnidirectionalStream() {
    return open(QuicStreamType.UNIDIRECTIONAL, StreamHeader.UNI_TYPE).thenApply(s -> s);
  }

  private CompletionStage<StreamImpl> open(QuicStreamType type, long headerType) {
    CompletableFuture<StreamImpl> opened = new CompletableFuture<>();
    if (state != State.OPEN) {
      opened.completeExceptionally(new WebTransportException("session " + id() + " is not open"));
      return opened;
    }
    boolean bidi = type == QuicStreamType.BIDIRECTIONAL;
    ChannelInitializer<QuicStreamChannel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(QuicStreamChannel ch) {
            StreamImpl stream = new StreamImpl(ch, SessionImpl.this, bidi, true);
            stream.install(ch.alloc().buffer(0));
            ByteBuf header = ch.alloc().buffer(16);
            QuicVarint.write(header, headerType);
            QuicVarint.write(header, id());
            ch.writeAndFlush(header);
          }
        };
    Future<QuicStreamChannel> created = connection.channel().createStream(type, init);
    created.addListener(
        f -> {
          if (!f.isSuccess()) {
            opened.completeExceptionally(
                new WebTransportException("could not open a stream on session " + id(), f.cause()));
            return;
          }
          QuicStreamChannel ch = created.getNow();
          StreamImpl stream = ch.pipeline().get(StreamImpl.class);
          if (state != State.OPEN || stream == null) {
            StreamImpl.abandon(ch, ErrorCodes.SESSION_GONE);
            opened.completeExceptionally(new WebTransportException("session " + id() + " closed"));
            return;
          }
          streams.add(stream);
          opened.complete(stream);
        });
    return opened;
  }

  @Override
  public boolean sendDatagram(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    if (state != State.OPEN || payload.length > connection.maxDatagramSize()) {
      return false;
    }
    connection
        .channel()
        .writeAndFlush(DatagramPrefix.encode(connection.channel().alloc(), id(), payload));
    return true;
  }

  @Override
  public void close(int code, String reason) {
    Capsule.Close close = new Capsule.Close(code, reason);
    onLoop(
        () -> {
          if (state == State.CLOSED) {
            return;
          }
          if (state == State.OPEN) {
            ByteBuf capsule = Capsules.encode(connectStream.alloc(), close);
            connectStream
                .writeAndFlush(new DefaultHttp3DataFrame(capsule))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
          } else if (connection.isClient()) {
            connectStream.shutdown(ErrorCodes.H3_REQUEST_CANCELLED); // no answer yet: cancel
          } else {
            respond(connectStream, 500);
          }
          finish(code, reason);
        });
  }

  @Override
  public boolean isClosed() {
    return state == State.CLOSED;
  }

  /** The acceptor said yes: answer 200. */
  void accept() {
    onLoop(
        () -> {
          if (state != State.PENDING) {
            return; // the client left meanwhile
          }
          state = State.OPEN;
          Http3HeadersFrame ok = new DefaultHttp3HeadersFrame();
          ok.headers().status("200");
          connectStream.writeAndFlush(ok);
          log.debug("session {} open", id());
          drainNewStreams();
        });
  }

  /** The acceptor said no: answer {@code status} and end the CONNECT stream. */
  void refuse(int status, String reason) {
    onLoop(
        () -> {
          if (state != State.PENDING) {
            return;
          }
          log.debug("session {} refused: {} {}", id(), status, reason);
          respond(connectStream, status);
          state = State.CLOSED;
          connection.removed(this);
          resetStreams();
        });
  }

  /** A client's CONNECT was answered 2xx: the session is open. */
  void opened() {
    onLoop(
        () -> {
          if (state == State.PENDING) {
            state = State.OPEN;
            log.debug("session {} open", id());
            drainNewStreams();
          }
        });
  }

  /** A client's CONNECT was answered otherwise, or never: the session never opened. */
  void failedToOpen(String why) {
    onLoop(
        () -> {
          if (state == State.PENDING) {
            log.debug("session {} did not open: {}", id(), why);
            connectStream.shutdown(ErrorCodes.H3_REQUEST_CANCELLED);
            finish(0, why);
          }
        });
  }

  QuicStreamChannel connectStream() {
    return connectStream;
  }

  static void respond(QuicStreamChannel stream, int status) {
    Http3HeadersFrame frame = new DefaultHttp3HeadersFrame();
    frame.headers().status(Integer.toString(status));
    stream.writeAndFlush(frame).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
  }

  /** Capsule bytes from a DATA frame of the CONNECT stream. */
  void capsuleData(ByteBuf data) {
    if (state == State.CLOSED) {
      return;
    }
    List<Capsule> read;
    try {
      read = capsules.read(data);
    } catch (MalformedCapsuleException e) {
      log.debug("session {}: {}", id(), e.getMessage());
      connectStream.shutdown(ErrorCodes.H3_MESSAGE_ERROR);
      finish(ErrorCodes.H3_MESSAGE_ERROR, "malformed capsule: " + e.getMessage());
      return;
    }
    for (Capsule capsule : read) {
      switch (capsule) {
        case Capsule.Close close -> {
          connectStream.shutdownOutput();
          finish(close.code(), close.reason());
        }
        case Capsule.Drain drain -> log.debug("session {}: peer asks to drain", id());
        case Capsule.Unknown unknown -> {}
      }
    }
  }

  /** The peer ended the CONNECT stream (FIN). */
  void connectInputEnded() {
    if (state != State.CLOSED) {
      connectStream.shutdownOutput();
      finish(0, capsules.inProgress() ? "CONNECT stream ended mid-capsule" : "");
    }
  }

  /**
   * Why a session on {@code connection} ends when its CONNECT stream or the connection goes without
   * a close capsule: {@code "idle timeout"}, {@code "connection closed"} or {@code "CONNECT stream
   * closed"}.
   */
  static String goneBecause(QuicChannel connection) {
    if (connection.isTimedOut()) {
      return "idle timeout";
    }
    return connection.isActive() ? "CONNECT stream closed" : "connection closed";
  }

  /** The CONNECT stream, or the whole connection, is gone. */
  void gone(int code, String reason) {
    finish(code, reason);
  }

  /** A peer-opened stream of this session. */
  void peerStreamOpened(QuicStreamChannel channel, boolean bidirectional, ByteBuf early) {
    StreamImpl stream = new StreamImpl(channel, this, true, bidirectional);
    stream.install(early);
    streams.add(stream);
    (bidirectional ? newBidi : newUni).add(stream);
    drainNewStreams();
  }

  void streamClosed(StreamImpl stream) {
    streams.remove(stream);
  }

  void datagramReceived(byte[] payload) {
    Consumer<byte[]> handler = onDatagram;
    if (state == State.OPEN && handler != null) {
      handler.accept(payload);
    }
  }

  private void drainNewStreams() {
    if (state != State.OPEN) {
      return;
    }
    // The handler is read again for each stream: a handler may hand the next ones to another.
    while (onBidi != null && !newBidi.isEmpty()) {
      onBidi.accept(newBidi.poll());
    }
    while (onUni != null && !newUni.isEmpty()) {
      onUni.accept(newUni.poll());
    }
  }

  private void finish(int code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    closeCode = code;
    closeReason = reason;
    connection.removed(this);
    resetStreams();
    log.debug("session {} closed: {} {}", id(), code, reason);
    for (CloseListener listener : closeListeners) {
      try {
        listener.onClose(code, reason);
      } catch (RuntimeException e) {
        log.warn("close listener of session {} threw", id(), e);
      }
    }
    closeListeners.clear();
  }

  private void resetStreams() {
    newBidi.clear();
    newUni.clear();
    for (StreamImpl stream : new ArrayList<>(streams)) {
      stream.sessionGone();
    }
    streams.clear();
  }

  private void onLoop(Runnable task) {
    if (connectStream.eventLoop().inEventLoop()) {
      task.run();
    } else {
      connectStream.eventLoop().execute(task);
    }
  }
}
