package dev.switchboard.webtransport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens WebTransport sessions to a server: {@code https://host:port/path?query}. Each session gets
 * a QUIC connection of its own, closed when the session closes. All sessions of a JVM share one
 * daemon event-loop thread, on which their handlers run (they must not block).
 *
 * <pre>{@code
 * WebTransportSession session =
 *     WebTransportConnector.connect(URI.create("https://localhost:8080/wt"),
 *             ConnectOptions.builder().certificateHashes(List.of(hash)).build())
 *         .join();
 * session.onDatagram(bytes -> ...);
 * session.sendDatagram("hello".getBytes(UTF_8));
 * }</pre>
 */
public final class WebTransportConnector {

  private static final class Shared {
    static final EventLoopGroup GROUP =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("switchboard-wt-client", true), NioIoHandler.newFactory());
  }

  private WebTransportConnector() {}

  /**
   * Opens a session; the future fails with a {@link WebTransportException} when the server cannot
   * be reached in time, its certificate is not trusted, or it answers the CONNECT with other than
   * 2xx (the message names the status).
   *
   * @throws IllegalArgumentException when {@code uri} is not {@code https://host[:port]/...}
   */
  public static CompletableFuture<WebTransportSession> connect(URI uri, ConnectOptions options) {
    Objects.requireNonNull(options, "options");
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "a WebTransport URI is https://host[:port]/path, got " + uri);
    }
    try {
      io.netty.handler.codec.quic.Quic.ensureAvailability();
    } catch (Throwable e) {
      return CompletableFuture.failedFuture(
          new WebTransportException("the native QUIC library is not available", e));
    }
    int port = uri.getPort() < 0 ? 443 : uri.getPort();
    CompletableFuture<WebTransportSession> opened = new CompletableFuture<>();
    QuicSslContext ssl = sslContext(options);
    ChannelHandler codec =
        QuicLimits.apply(
                Http3.newQuicClientCodecBuilder()
                    .sslEngineProvider(q -> ssl.newEngine(q.alloc(), uri.getHost(), port)),
                options.idleTimeout(),
                options.maxData(),
                options.maxStreamData(),
                options.maxStreams(),
                options.maxStreams())
            .build();
    ChannelFuture bound =
        new Bootstrap()
            .group(Shared.GROUP)
            .channel(NioDatagramChannel.class)
            .handler(codec)
            .bind(0);
    bound.addListener(
        f -> {
          if (!f.isSuccess()) {
            opened.completeExceptionally(
                new WebTransportException("could not bind a UDP socket", f.cause()));
            return;
          }
          Channel udp = bound.channel();
          handshake(udp, uri, port, options, opened);
        });
    Shared.GROUP.schedule(
        () ->
            opened.completeExceptionally(
                new WebTransportException(
                    "no session with " + uri + " within " + options.connectTimeout())),
        options.connectTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    return opened;
  }

  private static void handshake(
      Channel udp,
      URI uri,
      int port,
      ConnectOptions options,
      CompletableFuture<WebTransportSession> opened) {
    WtConnection connection = WtConnection.client(options.maxDatagramSize());
    Http3Settings h3 = new Http3Settings(NettyWebTransportServer.ANY_SETTING);
    h3.putAll(Http3Settings.defaultSettings());
    h3.enableH3Datagram(true);
    h3.put(NettyWebTransportServer.WT_ENABLE_DRAFT02, 1L);
    Future<QuicChannel> connected =
        QuicChannel.newBootstrap(udp)
            .handler(
                new ChannelInitializer<QuicChannel>() {
                  @Override
                  protected void initChannel(QuicChannel ch) {
                    ch.pipeline()
                        .addLast(
                            connection,
                            new Http3ClientConnectionHandler(
                                null,
                                null,
                                type ->
                                    type == StreamHeader.UNI_TYPE
                                        ? new UniStreamHeaderHandler(connection)
                                        : null,
                                new DefaultHttp3SettingsFrame(h3),
                                true,
                                NettyWebTransportServer.ANY_SETTING));
                  }
                })
            .remoteAddress(new InetSocketAddress(uri.getHost(), port))
            .connect();
    connected.addListener(
        f -> {
          if (!f.isSuccess()) {
            udp.close();
            opened.completeExceptionally(
                new WebTransportException("QUIC handshake with " + uri + " failed", f.cause()));
            return;
          }
          QuicChannel quic = connected.getNow();
          quic.closeFuture().addListener(c -> udp.close());
          // Given up meanwhile (the connect timeout): close what was opened.
          opened.whenComplete(
              (session, e) -> {
                if (e != null) {
                  quic.close();
                }
              });
          sendConnect(quic, connection, uri, port, options, opened);
        });
  }

  private static void sendConnect(
      QuicChannel quic,
      WtConnection connection,
      URI uri,
      int port,
      ConnectOptions options,
      CompletableFuture<WebTransportSession> opened) {
    ClientConnectHandler handler = new ClientConnectHandler(opened);
    Http3.newRequestStream(quic, handler)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                opened.completeExceptionally(
                    new WebTransportException("could not open the CONNECT stream", f.cause()));
                return;
              }
              QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
              String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
              SessionImpl session = connection.newSession(stream, query).orElseThrow();
              handler.session(session);
              String path =
                  uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
              Http3HeadersFrame headers = new DefaultHttp3HeadersFrame();
              headers
                  .headers()
                  .method("CONNECT")
                  .scheme("https")
                  .authority(uri.getHost() + ":" + port)
                  .path(query.isEmpty() ? path : path + "?" + query);
              headers.headers().add(":protocol", "webtransport");
              options.headers().forEach((name, value) -> headers.headers().add(name, value));
              stream.writeAndFlush(headers);
            });
  }

  private static QuicSslContext sslContext(ConnectOptions options) {
    QuicSslContextBuilder ssl =
        QuicSslContextBuilder.forClient()
            .applicationProtocols(Http3.supportedApplicationProtocols());
    if (!options.certificateHashes().isEmpty()) {
      ssl.endpointIdentificationAlgorithm(null) // the hash is the trust, as in a browser
          .trustManager(new CertificateHashTrust(options.certificateHashes(), Clock.systemUTC()));
    } else if (options.trustManagerFactory().isPresent()) {
      ssl.endpointIdentificationAlgorithm(null).trustManager(options.trustManagerFactory().get());
    } else {
      ssl.endpointIdentificationAlgorithm("HTTPS");
    }
    return ssl.build();
  }
}
