package dev.switchboard.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WebTransportConnector}, our client, against our server running the demo echo. */
class WebTransportConnectorTest {
  private static final long T = WtTestClient.TIMEOUT_S;
  private static final DevCertificate CERT = DevCertificate.generate(Duration.ofDays(10));

  private final BlockingQueue<String> serverSaw = new LinkedBlockingQueue<>();
  private WebTransportServer server;

  @BeforeEach
  void start() {
    SessionAcceptor echo = DemoEcho.create();
    server =
        WebTransportServer.start(
            WebTransportSettings.builder(CERT.privateKey(), List.of(CERT.certificate())).build(),
            request -> {
              if (request.query().contains("refuse")) {
                request.refuse(403, "not you");
              } else if (request.query().contains("push")) {
                pushOnAServerStream(request.accept());
              } else {
                echo.offer(
                    new ForwardingRequest(request) {
                      @Override
                      public WebTransportSession accept() {
                        WebTransportSession s = super.accept();
                        s.onClose((code, reason) -> serverSaw.add("closed " + code + " " + reason));
                        return s;
                      }
                    });
              }
            });
  }

  /** The server opens a bidirectional stream to the client, writes, ends. */
  private static void pushOnAServerStream(WebTransportSession session) {
    session
        .openBidirectionalStream()
        .thenAccept(
            stream -> {
              stream.write("from the server".getBytes(StandardCharsets.UTF_8));
              stream.end();
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String query) {
    return URI.create("https://127.0.0.1:" + server.port() + "/wt" + query);
  }

  private WebTransportSession connect(String query) {
    return WebTransportConnector.connect(uri(query), trusting(CERT.sha256Base64())).join();
  }

  private static ConnectOptions trusting(String hash) {
    return ConnectOptions.builder().certificateHashes(List.of(hash)).build();
  }

  @Test
  void aBidirectionalStreamIsEchoedToItsEnd() throws Exception {
    WebTransportSession session = connect("");
    WtStream stream =
        session.openBidirectionalStream().toCompletableFuture().get(T, TimeUnit.SECONDS);
    CompletableFuture<String> echoed = readToEnd(stream);
    stream.write("hello bidi".getBytes(StandardCharsets.UTF_8));
    stream.end();
    assertThat(echoed.get(T, TimeUnit.SECONDS)).isEqualTo("hello bidi");
    session.close(0, "");
  }

  @Test
  void aUnidirectionalStreamComesBackOnAServerOpenedOne() throws Exception {
    WebTransportSession session = connect("");
    BlockingQueue<CompletableFuture<String>> incoming = new LinkedBlockingQueue<>();
    session.onUnidirectionalStream(in -> incoming.add(readToEnd(in)));
    WtOutgoingStream out =
        session.openUnidirectionalStream().toCompletableFuture().get(T, TimeUnit.SECONDS);
    out.write("hello uni".getBytes(StandardCharsets.UTF_8));
    out.end();
    assertThat(incoming.poll(T, TimeUnit.SECONDS).get(T, TimeUnit.SECONDS)).isEqualTo("hello uni");
    session.close(0, "");
  }

  @Test
  void aDatagramIsEchoed() throws Exception {
    WebTransportSession session = connect("");
    BlockingQueue<String> datagrams = new LinkedBlockingQueue<>();
    session.onDatagram(d -> datagrams.add(new String(d, StandardCharsets.UTF_8)));
    // Datagrams may be lost: send until one comes back.
    String echoed = null;
    for (int i = 0; i < 20 && echoed == null; i++) {
      assertThat(session.sendDatagram("ping".getBytes(StandardCharsets.UTF_8))).isTrue();
      echoed = datagrams.poll(1, TimeUnit.SECONDS);
    }
    assertThat(echoed).isEqualTo("ping");
    assertThat(session.sendDatagram(new byte[1201])).as("over the maximum size").isFalse();
    session.close(0, "");
  }

  @Test
  void theServerMayOpenABidirectionalStream() throws Exception {
    WebTransportSession session = connect("?push");
    CompletableFuture<String> pushed = new CompletableFuture<>();
    session.onBidirectionalStream(stream -> readToEnd(stream).thenAccept(pushed::complete));
    assertThat(pushed.get(T, TimeUnit.SECONDS)).isEqualTo("from the server");
    session.close(0, "");
  }

  @Test
  void aClientCloseReachesTheServerWithItsCodeAndReason() throws Exception {
    WebTransportSession session = connect("");
    CompletableFuture<String> closed = new CompletableFuture<>();
    session.onClose((code, reason) -> closed.complete(code + " " + reason));
    session.close(4001, "done here");
    assertThat(serverSaw.poll(T, TimeUnit.SECONDS)).isEqualTo("closed 4001 done here");
    assertThat(closed.get(T, TimeUnit.SECONDS)).isEqualTo("4001 done here");
    assertThat(session.isClosed()).isTrue();
    assertThat(session.sendDatagram(new byte[1])).isFalse();
  }

  @Test
  void aServerCloseReachesTheClientWithItsCodeAndReason() throws Exception {
    // The demo closes a ?close=CODE session after echoing its first datagram.
    WebTransportSession session = connect("?close=4042");
    CompletableFuture<String> closed = new CompletableFuture<>();
    session.onClose((code, reason) -> closed.complete(code + " " + reason));
    for (int i = 0; i < 20 && !closed.isDone(); i++) {
      session.sendDatagram(new byte[] {1});
      Thread.sleep(200);
    }
    assertThat(closed.get(T, TimeUnit.SECONDS)).isEqualTo("4042 bye");
  }

  @Test
  void aSessionQuietPastTheIdleTimeoutEndsOnBothSides() throws Exception {
    BlockingQueue<String> serverClosed = new LinkedBlockingQueue<>();
    try (WebTransportServer quick =
        WebTransportServer.start(
            WebTransportSettings.builder(CERT.privateKey(), List.of(CERT.certificate()))
                .idleTimeout(Duration.ofMillis(500))
                .build(),
            request ->
                request
                    .accept()
                    .onClose((code, reason) -> serverClosed.add(code + " " + reason)))) {
      WebTransportSession session =
          WebTransportConnector.connect(
                  URI.create("https://127.0.0.1:" + quick.port() + "/wt"),
                  trusting(CERT.sha256Base64()))
              .get(T, TimeUnit.SECONDS);
      CompletableFuture<String> closed = new CompletableFuture<>();
      session.onClose((code, reason) -> closed.complete(code + " " + reason));
      // Nothing is sent: QUIC's idle timeout (the lower of both ends', 0.5 s) ends the connection.
      assertThat(closed.get(T, TimeUnit.SECONDS)).isEqualTo("0 idle timeout");
      assertThat(serverClosed.poll(T, TimeUnit.SECONDS)).isEqualTo("0 idle timeout");
      assertThat(session.isClosed()).isTrue();
    }
  }

  @Test
  void aRefusedSessionFailsNamingTheStatus() {
    assertThatThrownBy(() -> connect("?refuse"))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(WebTransportException.class)
        .hasMessageContaining("403");
    assertThatThrownBy(
            () ->
                WebTransportConnector.connect(
                        URI.create("https://127.0.0.1:" + server.port() + "/elsewhere"),
                        trusting(CERT.sha256Base64()))
                    .join())
        .cause()
        .hasMessageContaining("404");
  }

  @Test
  void aCertificateOfAnotherHashIsNotTrusted() {
    DevCertificate other = DevCertificate.generate(Duration.ofDays(1));
    assertThatThrownBy(
            () -> WebTransportConnector.connect(uri(""), trusting(other.sha256Base64())).join())
        .cause()
        .isInstanceOf(WebTransportException.class);
  }

  @Test
  void badArgumentsAreRefusedNamingThem() {
    assertThatThrownBy(
            () ->
                WebTransportConnector.connect(URI.create("wss://h/wt"), ConnectOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://");
    assertThatThrownBy(() -> ConnectOptions.builder().certificateHashes(List.of("nope")))
        .hasMessageContaining("SHA-256");
    assertThatThrownBy(() -> ConnectOptions.builder().maxDatagramSize(0))
        .hasMessageContaining("maxDatagramSize");
  }

  /** Everything {@code stream} carries until its FIN, as text. */
  private static CompletableFuture<String> readToEnd(WtIncomingStream stream) {
    CompletableFuture<String> done = new CompletableFuture<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    stream
        .onEnd(() -> done.complete(bytes.toString(StandardCharsets.UTF_8)))
        .onReset(code -> done.completeExceptionally(new IllegalStateException("reset " + code)))
        .onData(bytes::writeBytes);
    return done;
  }
}
