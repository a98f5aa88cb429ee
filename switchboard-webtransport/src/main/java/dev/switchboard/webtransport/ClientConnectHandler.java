package dev.switchboard.webtransport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * The client's end of a CONNECT stream: the server's answer opens the session (2xx) or fails it
 * (anything else), then the stream's DATA frames carry capsules to the session. Owned by the event
 * loop.
 */
final class ClientConnectHandler extends ChannelInboundHandlerAdapter {
  private final CompletableFuture<WebTransportSession> opened;
  private SessionImpl session; // set before the CONNECT is written

  ClientConnectHandler(CompletableFuture<WebTransportSession> opened) {
    this.opened = opened;
  }

  void session(SessionImpl value) {
    session = value;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http3HeadersFrame headers && !opened.isDone()) {
        answered(String.valueOf(headers.headers().status()));
      } else if (msg instanceof Http3DataFrame data && opened.isDone()) {
        session.capsuleData(data.content());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void answered(String status) {
    if (status.length() == 3 && status.charAt(0) == '2') {
      session.opened();
      opened.complete(session);
    } else {
      String why = "the server answered the CONNECT with status " + status;
      session.failedToOpen(why);
      opened.completeExceptionally(new WebTransportException(why));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      failIfPending("the server ended the CONNECT stream without an answer");
      session.connectInputEnded();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    failIfPending("the CONNECT stream closed without an answer");
    session.gone(0, SessionImpl.goneBecause(((QuicStreamChannel) ctx.channel()).parent()));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failIfPending("the CONNECT stream failed: " + cause);
    session.gone(ErrorCodes.H3_MESSAGE_ERROR, "CONNECT stream failed: " + cause.getMessage());
    ctx.close();
  }

  private void failIfPending(String why) {
    if (!opened.isDone()) {
      session.failedToOpen(why);
      opened.completeExceptionally(new WebTransportException(why));
    }
  }
}
