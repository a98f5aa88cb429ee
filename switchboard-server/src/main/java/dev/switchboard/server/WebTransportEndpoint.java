package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Registry;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.webtransport.DemoEcho;
import dev.switchboard.webtransport.DevCertificate;
import dev.switchboard.webtransport.SessionRequest;
import dev.switchboard.webtransport.WebTransportServer;
import dev.switchboard.webtransport.WebTransportSession;
import dev.switchboard.webtransport.WebTransportSettings;
import dev.switchboard.webtransport.WtStream;
import io.vertx.core.Context;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebTransport's way in: HTTP/3 on UDP, sessions on {@code /wt}. A session is admitted as a
 * WebSocket is ({@link DeviceAdmission}: rate limit, {@code ?token=} or the API key, a place in the
 * registry); the first bidirectional stream the client opens then carries its JSON-RPC ({@link
 * WebTransportSink}) under an ordinary {@link Session}. The session's datagrams, unidirectional
 * streams and further bidirectional streams are the {@link WebTransportApplication}'s when there is
 * one; else a development server echoes them (the demo) and a production server refuses them.
 */
final class WebTransportEndpoint implements AutoCloseable {

  /** How long the development certificate is valid: browsers take at most 14 days. */
  static final Duration DEVELOPMENT_VALIDITY = Duration.ofDays(13);

  private static final Logger log = LoggerFactory.getLogger(WebTransportEndpoint.class);

  private final WebTransportServer server;
  private final String url;
  private final Optional<String> certificateHash;
  private final WebTransportDevices devices;

  private WebTransportEndpoint(
      WebTransportServer server,
      String url,
      Optional<String> certificateHash,
      WebTransportDevices devices) {
    this.server = server;
    this.url = url;
    this.certificateHash = certificateHash;
    this.devices = devices;
  }

  /** Starts listening when {@code webtransport} is on; empty when it is off. */
  static Optional<WebTransportEndpoint> start(
      ServerConfig config,
      int httpPort,
      DeviceAdmission admission,
      Sessions sessions,
      Context context) {
    WebTransportOptions options = config.webTransport();
    if (!options.enabled()) {
      return Optional.empty();
    }
    PrivateKey key;
    List<X509Certificate> chain;
    Optional<String> hash;
    if (options.certificate().isPresent()) {
      chain = PemFiles.certificates(options.certificate().get());
      key = PemFiles.privateKey(options.privateKey().orElseThrow());
      hash = Optional.empty();
    } else {
      DevCertificate generated = developmentCertificate();
      chain = List.of(generated.certificate());
      key = generated.privateKey();
      hash = Optional.of(generated.sha256Base64());
    }
    int port = options.udpPort(httpPort);
    WebTransportSettings settings =
        WebTransportSettings.builder(key, chain).host(config.host()).port(port).build();
    WebTransportDevices devices = new WebTransportDevices();
    Acceptor acceptor = new Acceptor(config, admission, sessions, devices, context);
    WebTransportServer server = WebTransportServer.start(settings, acceptor::offer);
    String host =
        config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
    String url = "https://" + host + ":" + server.port() + settings.path();
    log.info(
        "WebTransport (HTTP/3) listening on udp {}:{}{}",
        config.host(),
        server.port(),
        settings.path());
    return Optional.of(new WebTransportEndpoint(server, url, hash, devices));
  }

  /** The development certificate of this JVM, made again when less than a day of it is left. */
  private static final java.util.concurrent.atomic.AtomicReference<DevCertificate> DEVELOPMENT =
      new java.util.concurrent.atomic.AtomicReference<>();

  /**
   * The development certificate, shared by the servers of one JVM (making one takes half a second);
   * a fresh one once less than a day of its validity is left.
   */
  private static DevCertificate developmentCertificate() {
    return DEVELOPMENT.updateAndGet(
        c ->
            c != null
                    && c.certificate()
                        .getNotAfter()
                        .toInstant()
                        .isAfter(java.time.Instant.now().plus(Duration.ofDays(1)))
                ? c
                : DevCertificate.generate(DEVELOPMENT_VALIDITY));
  }

  /**
   * {@code GET /api/v1/webtransport}: {@code {url, certificate_hashes: [{algorithm, value}]}}, the
   * hashes a page passes as {@code serverCertificateHashes} (the generated development
   * certificate's; none for a configured one).
   */
  JsonNode info() {
    ObjectNode out = Json.nodes().objectNode().put("url", url);
    var hashes = out.putArray("certificate_hashes");
    certificateHash.ifPresent(h -> hashes.addObject().put("algorithm", "sha-256").put("value", h));
    return out;
  }

  int port() {
    return server.port();
  }

  /** The devices connected over WebTransport now. */
  List<WebTransportDevice> devices() {
    return devices.all();
  }

  @Override
  public void close() {
    server.close();
  }

  /** What a session asked for in its query: {@code ack=1}, {@code encoding=msgpack}. */
  private record Asked(boolean acknowledges, Encoding encoding) {}

  /** Admits each session, then puts a {@link Session} on its first bidirectional stream. */
  private record Acceptor(
      ServerConfig config,
      DeviceAdmission admission,
      Sessions sessions,
      WebTransportDevices devices,
      Context context) {

    void offer(SessionRequest request) {
      String query = request.query();
      context.runOnContext(
          v ->
              admission.admit(
                  new DeviceAdmission.Knock(
                      SocketAddress.inetSocketAddress((InetSocketAddress) request.remoteAddress()),
                      query,
                      header(request, "authorization"),
                      header(request, "x-api-key"),
                      context),
                  () -> new Asked(DeviceAuth.acknowledges(query), encoding(query)),
                  new DeviceAdmission.Listener<Asked>() {
                    @Override
                    public void admitted(
                        Identity identity, Optional<Registry.Reservation> place, Asked asked) {
                      open(request, identity, place, asked);
                    }

                    @Override
                    public void refused(DeviceAdmission.Refusal refusal) {
                      request.refuse(refusal.status(), refusal.message());
                    }
                  }));
    }

    private void open(
        SessionRequest request,
        Identity identity,
        Optional<Registry.Reservation> place,
        Asked asked) {
      WebTransportSession session = request.accept();
      Optional<WebTransportApplication> application = config.webTransportApplication();
      AtomicBoolean rpcStream = new AtomicBoolean();
      session.onClose(
          (code, reason) -> {
            if (rpcStream.compareAndSet(false, true)) { // closed before any stream: free the place
              place.ifPresent(Registry.Reservation::close);
            }
          });
      session.onBidirectionalStream(
          stream -> {
            if (rpcStream.compareAndSet(false, true)) {
              String remote = String.valueOf(request.remoteAddress());
              WebTransportSink sink =
                  new WebTransportSink(
                      session, stream, asked.encoding(), config.rpc().maxMessageBytes(), remote);
              context.runOnContext(
                  v ->
                      sessions.open(
                          sink,
                          identity,
                          place,
                          Sessions.Join.webSocket(asked.acknowledges(), DeviceProtocol.JSONRPC)));
              // Told at once, on this loop: its handlers are set before any later stream arrives.
              WebTransportDevice device = devices.add(identity, session, asked.encoding());
              application.ifPresent(a -> a.opened(device));
            } else {
              further(stream, application.isEmpty());
            }
          });
      if (application.isPresent()) {
        return; // the application's: uni streams wait for its handler, datagrams are dropped
      }
      if (config.development()) {
        DemoEcho.echoDatagramsAndUnidirectionalStreams(session);
      } else {
        session.onUnidirectionalStream(in -> in.stopSending(0));
      }
    }

    /**
     * A bidirectional stream after the RPC one that no application handler took: the demo echoes it
     * in development.
     */
    private void further(WtStream stream, boolean demo) {
      if (demo && config.development()) {
        DemoEcho.echo(stream);
      } else {
        stream.reset(0);
      }
    }

    private static Optional<String> header(SessionRequest request, String name) {
      List<String> values = request.headers().get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /**
     * {@code encoding=msgpack}: MessagePack, length-prefixed; none or {@code json}: JSON lines.
     *
     * @throws IllegalArgumentException for any other value, naming it
     */
    private static Encoding encoding(String query) {
      return switch (DeviceAuth.parameter(query, "encoding").orElse("json")) {
        case "json" -> Encoding.JSON;
        case "msgpack" -> Encoding.MSGPACK;
        default ->
            throw new IllegalArgumentException(
                "encoding must be json or msgpack, got "
                    + DeviceAuth.parameter(query, "encoding").orElse(""));
      };
    }
  }
}
