package dev.switchboard.webtransport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link WebTransportServer} on one UDP socket and one event loop. */
final class NettyWebTransportServer implements WebTransportServer {
  private static final Logger log = LoggerFactory.getLogger(NettyWebTransportServer.class);

  /** Accepts every non-standard HTTP/3 setting: WebTransport's and the browsers' grease. */
  static final Http3Settings.NonStandardHttp3SettingsValidator ANY_SETTING = (id, value) -> true;

  /** SETTINGS_WEBTRANSPORT_MAX_SESSIONS of draft 07..12. */
  static final long WT_MAX_SESSIONS_DRAFT07 = 0xc671706aL;

  /** SETTINGS_WT_MAX_SESSIONS of draft 13. */
  static final long WT_MAX_SESSIONS_DRAFT13 = 0x14e9cd29L;

  /** SETTINGS_ENABLE_WEBTRANSPORT of draft 02, which Chromium 156 looks for. */
  static final long WT_ENABLE_DRAFT02 = 0x2b603742L;

  private final EventLoopGroup group;
  private final Channel channel;

  private NettyWebTransportServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  static WebTransportServer start(WebTransportSettings settings, SessionAcceptor acceptor) {
    try {
      Quic.ensureAvailability();
    } catch (Throwable e) {
      throw new WebTransportException("the native QUIC library is not available", e);
    }
    QuicSslContext ssl =
        QuicSslContextBuilder.forServer(
                settings.privateKey(),
                null,
                settings.certificateChain().toArray(new X509Certificate[0]))
            .applicationProtocols(Http3.supportedApplicationProtocols())
            .build();
    Http3Settings h3 = http3Settings(settings);
    ChannelHandler codec =
        QuicLimits.apply(
                Http3.newQuicServerCodecBuilder().sslContext(ssl),
                settings.idleTimeout(),
                settings.maxData(),
                settings.maxStreamData(),
                settings.maxStreamsBidirectional(),
                settings.maxStreamsUnidirectional())
            .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
            .handler(
                new ChannelInitializer<QuicChannel>() {
                  @Override
                  protected void initChannel(QuicChannel ch) {
                    WtConnection connection = WtConnection.server(settings, acceptor);
                    ch.pipeline().addLast(connection, connectionHandler(connection, h3));
                  }
                })
            .build();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(codec)
              .bind(settings.host(), settings.port())
              .sync()
              .channel();
      NettyWebTransportServer server = new NettyWebTransportServer(group, channel);
      log.debug("WebTransport on https://{}:{}{}", settings.host(), server.port(), settings.path());
      return server;
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new WebTransportException(
          "could not bind UDP " + settings.host() + ":" + settings.port(), e);
    }
  }

  /** The SETTINGS Chromium, Safari and draft-13 clients each look for. */
  static Http3Settings http3Settings(WebTransportSettings settings) {
    Http3Settings h3 = new Http3Settings(ANY_SETTING);
    h3.putAll(Http3Settings.defaultSettings());
    h3.enableConnectProtocol(true);
    h3.enableH3Datagram(true);
    h3.put(WT_ENABLE_DRAFT02, 1L);
    h3.put(WT_MAX_SESSIONS_DRAFT13, (long) settings.maxSessionsPerConnection());
    h3.put(WT_MAX_SESSIONS_DRAFT07, (long) settings.maxSessionsPerConnection());
    return h3;
  }

  private static ChannelHandler connectionHandler(WtConnection connection, Http3Settings h3) {
    return new Http3ServerConnectionHandler(
        new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel ch) {
            ch.pipeline().addLast(new ConnectStreamHandler(connection));
          }
        },
        null,
        type -> type == StreamHeader.UNI_TYPE ? new UniStreamHeaderHandler(connection) : null,
        new DefaultHttp3SettingsFrame(h3),
        true,
        ANY_SETTING);
  }

  @Override
  public int port() {
    return address().getPort();
  }

  @Override
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
