package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * First in the pipeline of a peer-opened bidirectional stream, before HTTP/3's codec: it reads the
 * first varint. {@code 0x41} makes the stream a WebTransport stream (HTTP/3's handlers are removed
 * and the stream goes to its session); anything else is an HTTP/3 request, whose bytes are handed
 * on untouched (on a client, where a server may open no request, the stream is reset). Owned by the
 * event loop.
 */
final class BidiStreamSniffer extends ChannelInboundHandlerAdapter {
  private final WtConnection connection;
  private final StreamHeaderReader header = StreamHeaderReader.bidirectional();
  private final List<ByteBuf> held = new ArrayList<>(1); // bytes seen before the decision

  BidiStreamSniffer(WtConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf chunk)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf view = chunk.duplicate();
    StreamHeader result = header.read(view);
    switch (result) {
      case StreamHeader.Incomplete incomplete -> held.add(chunk);
      case StreamHeader.Other other when connection.isClient() -> {
        chunk.release();
        release();
        StreamImpl.abandon((QuicStreamChannel) ctx.channel(), ErrorCodes.H3_STREAM_CREATION_ERROR);
      }
      case StreamHeader.Other other -> {
        held.add(chunk);
        ChannelPipeline pipeline = ctx.pipeline();
        for (ByteBuf b : held) {
          ctx.fireChannelRead(b);
        }
        held.clear();
        pipeline.remove(this);
      }
      case StreamHeader.WebTransport wt -> {
        release();
        chunk.readerIndex(view.readerIndex());
        QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
        ChannelPipeline pipeline = ctx.pipeline();
        while (pipeline.last() != this) {
          pipeline.removeLast();
        }
        pipeline.remove(this);
        // Data behind the header goes to the stream, which reads on demand.
        connection.streamOpened(stream, wt.sessionId(), true, chunk);
      }
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    for (ByteBuf b : held) {
      b.release();
    }
    held.clear();
  }

  /** Never shared: it holds one stream's header state. */
  @Override
  public boolean isSharable() {
    return false;
  }
}
