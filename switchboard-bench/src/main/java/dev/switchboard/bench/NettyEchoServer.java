package dev.switchboard.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket echo on Netty alone, without Vert.x: the server of {@code BenchMain echo-server
 * --netty}, to tell what Netty allows from what Vert.x's WebSocket layer costs on top of it.
 *
 * <p>The least a server does with Netty's own WebSocket handlers: {@link HttpServerCodec}, a small
 * {@link HttpObjectAggregator} for the upgrade request, {@link WebSocketServerProtocolHandler} on
 * {@code /} (the Vert.x echo's path; it answers pings and closes), no compression offered or
 * accepted (no extension handler, and reserved bits are refused), a {@link
 * WebSocketFrameAggregator} so that a fragmented message is echoed whole as Vert.x does, then
 * {@link Echo}, which writes each text message back: the same frame object, its buffer handed to
 * the encoder without a copy.
 *
 * <p>Set as the Vert.x echo is: NIO transport (Vert.x takes epoll only when {@code
 * preferNativeTransport} is set and netty-transport-native-epoll is on the class path, and neither
 * is), Netty's default allocator (Vert.x's too), {@code TCP_NODELAY}, no UTF-8 check of text frames
 * (Netty's {@code Utf8FrameValidator} is left out: Vert.x's server adds none, and it cost this echo
 * about a tenth of its calls/s with our client); one event loop per core, as Switchboard.
 */
final class NettyEchoServer implements AutoCloseable {

  /** When the echo flushes what it wrote. */
  enum Flush {
    /**
     * Once per read batch, in {@code channelReadComplete}: every answer to the frames of one {@code
     * read()} leaves in one {@code write}/{@code writev} (Vert.x does the same for writes made
     * while it reads).
     */
    PER_READ_BATCH,
    /** After every frame ({@code writeAndFlush}): one system call per answer. */
    PER_FRAME
  }

  /** Switchboard's default {@code maxMessageBytes}, so every server accepts the same frames. */
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  /** Enough for an upgrade request, which has no body. */
  private static final int MAX_UPGRADE_REQUEST_BYTES = 8 * 1024;

  private final EventLoopGroup group;
  private final Channel listener;

  private NettyEchoServer(EventLoopGroup group, Channel listener) {
    this.group = group;
    this.listener = listener;
  }

  /**
   * Binds {@code host:port} (port 0: a free one) and returns once it listens.
   *
   * @param eventLoops event loop threads, at least 1
   */
  static NettyEchoServer start(String host, int port, int eventLoops, Flush flush)
      throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(eventLoops, NioIoHandler.newFactory());
    try {
      Channel listener =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      initPipeline(channel, flush);
                    }
                  })
              .bind(host, port)
              .sync()
              .channel();
      return new NettyEchoServer(group, listener);
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The handlers of one connection, in order; {@code NettyEchoServerTest} uses it too. */
  static void initPipeline(Channel channel, Flush flush) {
    WebSocketServerProtocolConfig ws =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/")
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                    .allowExtensions(false)
                    .withUTF8Validator(false)
                    .build())
            .build();
    channel
        .pipeline()
        .addLast(
            new HttpServerCodec(),
            new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES),
            new WebSocketServerProtocolHandler(ws),
            new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
            new Echo(flush));
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
  }

  /**
   * Writes every text message back as it came; any other message (a binary one, an HTTP request
   * that is not an upgrade on {@code /}) is dropped, the HTTP request with a 404. One instance per
   * connection, used on its event loop only.
   */
  static final class Echo extends ChannelInboundHandlerAdapter {

    private final Flush flush;

    /** Something was written since the last flush; {@link Flush#PER_READ_BATCH} only. */
    private boolean unflushed;

    Echo(Flush flush) {
      this.flush = flush;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      switch (msg) {
        // The frame owns its buffer, and writing hands both to the encoder: no copy, no retain.
        case TextWebSocketFrame frame when flush == Flush.PER_FRAME ->
            ctx.writeAndFlush(frame, ctx.voidPromise());
        case TextWebSocketFrame frame -> {
          ctx.write(frame, ctx.voidPromise());
          unflushed = true;
        }
        case FullHttpRequest request -> {
          FullHttpResponse notFound =
              new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NOT_FOUND);
          request.release();
          HttpUtil.setContentLength(notFound, 0);
          ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
        }
        default -> ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (unflushed) {
        unflushed = false;
        ctx.flush();
      }
      ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
