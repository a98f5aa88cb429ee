package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebTransport stream on a QUIC stream channel, the last handler of its pipeline. The channel
 * does not read by itself: it reads while a data handler is set and the stream is not paused.
 * Fields without {@code volatile} are owned by the event loop.
 */
final class StreamImpl extends ChannelInboundHandlerAdapter implements WtStream {
  private static final Logger log = LoggerFactory.getLogger(StreamImpl.class);

  private final QuicStreamChannel channel;
  private final SessionImpl session;
  private final boolean canRead;
  private final boolean canWrite;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(); // read, not yet delivered
  private volatile Consumer<byte[]> onData;
  private volatile Runnable onEnd = () -> {};
  private volatile Consumer<Long> onReset = code -> {};
  private volatile Runnable onWritable = () -> {};
  private volatile boolean paused;

  /** The last write handed to the channel; the FIN waits for it. */
  private volatile ChannelFuture lastWrite;

  private boolean finReceived;
  private boolean done; // end or reset told; nothing more is delivered

  StreamImpl(QuicStreamChannel channel, SessionImpl session, boolean canRead, boolean canWrite) {
    this.channel = channel;
    this.session = session;
    this.canRead = canRead;
    this.canWrite = canWrite;
  }

  /** Installs this stream last in its channel's pipeline, with {@code early} as its first data. */
  void install(ByteBuf early) {
    channel.config().setAutoRead(false);
    if (early.isReadable()) {
      pending.add(early);
    } else {
      early.release();
    }
    channel.pipeline().addLast(this);
    // Auto-read went off inside the read that found the stream's header: ask for what follows
    // (more data, or the FIN that may sit behind it), or the stream could wait for a read nobody
    // asks.
    if (canRead) {
      channel.read();
    }
  }

  /** Resets what can be reset of a stream that belongs to no session. */
  static void abandon(QuicStreamChannel channel, int code) {
    boolean peerOpened = !channel.isLocalCreated();
    switch (channel.type()) {
      case BIDIRECTIONAL -> channel.shutdown(code);
      case UNIDIRECTIONAL -> {
        if (peerOpened) {
          channel.shutdownInput(code);
        } else {
          channel.shutdownOutput(code);
        }
      }
    }
    channel.close();
  }

  @Override
  public long streamId() {
    return channel.streamId();
  }

  @Override
  public StreamImpl onData(Consumer<byte[]> handler) {
    onData = Objects.requireNonNull(handler, "handler");
    onLoop(this::deliver);
    return this;
  }

  @Override
  public StreamImpl onEnd(Runnable handler) {
    onEnd = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public StreamImpl onReset(Consumer<Long> handler) {
    onReset = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
    onLoop(this::deliver);
  }

  @Override
  public void stopSending(long code) {
    if (canRead) {
      channel.shutdownInput(ErrorCodes.toNetty(code));
    }
  }

  @Override
  public CompletionStage<Void> write(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (!canWrite) {
      return CompletableFuture.failedFuture(new WebTransportException("stream is receive-only"));
    }
    ChannelFuture written = channel.writeAndFlush(Unpooled.wrappedBuffer(data));
    lastWrite = written;
    return stage(written);
  }

  @Override
  public boolean isWritable() {
    return canWrite && channel.isWritable();
  }

  @Override
  public StreamImpl onWritable(Runnable handler) {
    onWritable = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public CompletionStage<Void> end() {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    // The FIN goes after the last write has reached QUIC: a shutdown issued while a write is still
    // queued in the channel was seen lost under load (the peer then waits for the end forever).
    ChannelFuture before = lastWrite;
    Runnable shutdown =
        () ->
            channel
                .shutdownOutput()
                .addListener(
                    f -> {
                      if (f.isSuccess()) {
                        log.debug(
                            "stream {} of session {}: FIN sent", channel.streamId(), session.id());
                        ended.complete(null);
                      } else {
                        log.debug(
                            "stream {} of session {}: FIN failed: {}",
                            channel.streamId(),
                            session.id(),
                            String.valueOf(f.cause()));
                        ended.completeExceptionally(f.cause());
                      }
                    });
    // Always as a task of its own: run inside the listener of the last write, that is inside the
    // stream's flush, the FIN was queued behind a flush already over and never left (qlog: the
    // peer got the data, then nothing until the idle timeout).
    if (before == null || before.isDone()) {
      channel.eventLoop().execute(shutdown);
    } else {
      before.addListener(f -> channel.eventLoop().execute(shutdown));
    }
    return ended;
  }

  @Override
  public void reset(long code) {
    int nettyCode = ErrorCodes.toNetty(code);
    onLoop(
        () -> {
          if (canWrite) {
            channel.shutdownOutput(nettyCode);
          }
          if (canRead) {
            channel.shutdownInput(nettyCode);
          }
          finish();
        });
  }

  /** The session ended: reset the stream with WT_SESSION_GONE. Event loop only. */
  void sessionGone() {
    if (channel.isActive()) {
      abandon(channel, ErrorCodes.SESSION_GONE);
    }
    if (!done) {
      done = true;
      releasePending();
      onReset.accept((long) ErrorCodes.SESSION_GONE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf && !done) {
      pending.add(buf);
      deliver();
    } else {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    deliver();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      log.debug("stream {} of session {}: FIN", channel.streamId(), session.id());
      finReceived = true;
      deliver();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      onWritable.run();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    session.streamClosed(this);
    if (!done && canRead && !finReceived) {
      done = true; // closed without FIN: the peer reset it
      releasePending();
      onReset.accept(0L);
    }
    releasePending();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("stream {} of session {}: {}", channel.streamId(), session.id(), cause.toString());
    ctx.close();
  }

  /** Hands pending data to the handler, tells the end after the last chunk, and asks for more. */
  private void deliver() {
    Consumer<byte[]> handler = onData;
    if (handler == null || done || !canRead) {
      return;
    }
    while (!paused && !pending.isEmpty()) {
      ByteBuf buf = pending.poll();
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      buf.release();
      handler.accept(bytes);
    }
    if (pending.isEmpty() && finReceived) {
      done = true;
      onEnd.run();
    } else if (!paused && pending.isEmpty() && channel.isActive()) {
      channel.read();
    }
  }

  private void finish() {
    done = true;
    releasePending();
  }

  private void releasePending() {
    ByteBuf buf;
    while ((buf = pending.poll()) != null) {
      buf.release();
    }
  }

  private void onLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      channel.eventLoop().execute(task);
    }
  }

  static CompletionStage<Void> stage(ChannelFuture future) {
    CompletableFuture<Void> stage = new CompletableFuture<>();
    future.addListener(
        f -> {
          if (f.isSuccess()) {
            stage.complete(null);
          } else {
            stage.completeExceptionally(f.cause());
          }
        });
    return stage;
  }
}
