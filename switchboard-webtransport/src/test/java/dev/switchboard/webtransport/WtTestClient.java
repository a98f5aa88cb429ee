package dev.switchboard.webtransport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebTransport client on Netty's HTTP/3 client codec, for tests: one QUIC connection, raw
 * WebTransport streams written byte by byte as the draft says, so the server is checked against the
 * wire format, not against itself.
 */
final class WtTestClient implements AutoCloseable {
  /**
   * How long any one wait may take. Generous on purpose: QUIC runs over UDP, and on a loaded CI
   * machine a dropped datagram costs a probe timeout (about 1 s, then doubling) before QUIC sends
   * it again; 5 s was seen to pass twice.
   */
  static final long TIMEOUT_S = 30;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel udp;
  final QuicChannel quic;
  final BlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
  final BlockingQueue<Received> uniStreams = new LinkedBlockingQueue<>();
  private final InetSocketAddress server;

  WtTestClient(InetSocketAddress server) throws Exception {
    this.server = server;
    udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                Http3.newQuicClientCodecBuilder()
                    .sslContext(
                        QuicSslContextBuilder.forClient()
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .applicationProtocols(Http3.supportedApplicationProtocols())
                            .build())
                    .maxIdleTimeout(10, TimeUnit.SECONDS)
                    .initialMaxData(1 << 20)
                    .initialMaxStreamDataBidirectionalLocal(1 << 16)
                    .initialMaxStreamDataBidirectionalRemote(1 << 16)
                    .initialMaxStreamDataUnidirectional(1 << 16)
                    .initialMaxStreamsBidirectional(10)
                    .initialMaxStreamsUnidirectional(10)
                    .datagram(64, 64)
                    .build())
            .bind(0)
            .sync()
            .channel();
    Http3Settings settings = new Http3Settings(NettyWebTransportServer.ANY_SETTING);
    settings.enableH3Datagram(true);
    settings.put(NettyWebTransportServer.WT_ENABLE_DRAFT02, 1L);
    quic =
        QuicChannel.newBootstrap(udp)
            .handler(
                new ChannelInitializer<QuicChannel>() {
                  @Override
                  protected void initChannel(QuicChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new Http3ClientConnectionHandler(
                                null,
                                null,
                                type ->
                                    type == StreamHeader.UNI_TYPE
                                        ? new Collector(uniStreams)
                                        : null,
                                new DefaultHttp3SettingsFrame(settings),
                                true,
                                NettyWebTransportServer.ANY_SETTING),
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof ByteBuf d) {
                                  byte[] bytes = new byte[d.readableBytes()];
                                  d.readBytes(bytes);
                                  datagrams.add(bytes);
                                  d.release();
                                } else {
                                  // A stream channel: the pipeline's tail registers it, and an
                                  // unregistered stream is never read.
                                  ctx.fireChannelRead(msg);
                                }
                              }
                            });
                  }
                })
            .remoteAddress(server)
            .connect()
            .get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /**
   * Sends an extended CONNECT for {@code path}; the session's CONNECT stream, with the status once
   * it comes.
   */
  Connect connect(String path, String protocol) throws Exception {
    Connect connect = new Connect();
    QuicStreamChannel stream =
        Http3.newRequestStream(quic, connect).get(TIMEOUT_S, TimeUnit.SECONDS);
    connect.stream = stream;
    Http3HeadersFrame headers = new DefaultHttp3HeadersFrame();
    headers
        .headers()
        .method("CONNECT")
        .scheme("https")
        .authority(server.getHostString() + ":" + server.getPort())
        .path(path)
        .add("origin", "https://example.test");
    if (protocol != null) {
      headers.headers().add(":protocol", protocol);
    }
    stream.writeAndFlush(headers).sync();
    return connect;
  }

  /**
   * Opens a raw stream starting with {@code prefix} (0x41 or 0x54) and the session id, writes,
   * ends.
   */
  Received stream(QuicStreamType type, long sessionId, String text) throws Exception {
    BlockingQueue<Received> done = new LinkedBlockingQueue<>();
    QuicStreamChannel stream =
        quic.createStream(type, new Collector(done)).get(TIMEOUT_S, TimeUnit.SECONDS);
    ByteBuf out = stream.alloc().buffer();
    QuicVarint.write(
        out,
        type == QuicStreamType.BIDIRECTIONAL ? StreamHeader.BIDI_SIGNAL : StreamHeader.UNI_TYPE);
    // The session id split from its signal: the server must join a header that arrives in pieces.
    stream.writeAndFlush(out).sync();
    ByteBuf rest = stream.alloc().buffer();
    QuicVarint.write(rest, sessionId);
    rest.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    stream.writeAndFlush(rest).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
    return type == QuicStreamType.BIDIRECTIONAL ? done.poll(TIMEOUT_S, TimeUnit.SECONDS) : null;
  }

  void sendDatagram(long sessionId, String text) {
    quic.writeAndFlush(
        DatagramPrefix.encode(quic.alloc(), sessionId, text.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    quic.close().awaitUninterruptibly(TIMEOUT_S, TimeUnit.SECONDS);
    udp.close().awaitUninterruptibly(TIMEOUT_S, TimeUnit.SECONDS);
    group
        .shutdownGracefully(0, 1, TimeUnit.SECONDS)
        .awaitUninterruptibly(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /**
   * What a stream carried until it ended: its bytes, and whether it ended with FIN (else it was
   * reset).
   */
  record Received(String text, boolean fin) {}

  /** Collects a stream's bytes until it ends. */
  static final class Collector extends ChannelInboundHandlerAdapter {
    private final BlockingQueue<Received> done;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean fin;
    private boolean told;

    Collector(BlockingQueue<Received> done) {
      this.done = done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b) {
        byte[] chunk = new byte[b.readableBytes()];
        b.readBytes(chunk);
        bytes.writeBytes(chunk);
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        fin = true;
        tell();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      tell();
    }

    private void tell() {
      if (!told) {
        told = true;
        done.add(new Received(bytes.toString(StandardCharsets.ISO_8859_1), fin));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** A CONNECT stream: the response status, then whether the server ended or reset it. */
  static final class Connect extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    final CompletableFuture<Boolean> ended = new CompletableFuture<>();
    QuicStreamChannel stream;

    long sessionId() {
      return stream.streamId();
    }

    /** Writes raw capsule bytes in a DATA frame. */
    void sendCapsuleBytes(byte[] capsule) {
      stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(capsule)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http3HeadersFrame h) {
        status.complete(Integer.parseInt(h.headers().status().toString()));
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ended.complete(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ended.complete(false);
      status.completeExceptionally(new IllegalStateException("CONNECT stream closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
