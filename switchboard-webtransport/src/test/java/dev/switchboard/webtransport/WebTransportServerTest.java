package dev.switchboard.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server against {@link WtTestClient}, a Netty HTTP/3 client writing WebTransport frames by
 * hand.
 */
class WebTransportServerTest {
  private static final long T = WtTestClient.TIMEOUT_S;
  private static final DevCertificate CERT = DevCertificate.generate(Duration.ofDays(10));

  private final Map<Long, String> closes = new ConcurrentHashMap<>(); // session id -> "code reason"
  private final BlockingQueue<SessionRequest> offered = new LinkedBlockingQueue<>();
  private WebTransportServer server;
  private WtTestClient client;

  @BeforeEach
  void start() throws Exception {
    SessionAcceptor echo = DemoEcho.create();
    SessionAcceptor acceptor =
        request -> {
          offered.add(request);
          if (request.query().contains("refuse")) {
            request.refuse(403, "not you");
            return;
          }
          echo.offer(
              new ForwardingRequest(request) {
                @Override
                public WebTransportSession accept() {
                  WebTransportSession s = super.accept();
                  s.onClose((code, reason) -> closes.put(s.id(), code + " " + reason));
                  return s;
                }
              });
        };
    server =
        WebTransportServer.start(
            WebTransportSettings.builder(CERT.privateKey(), List.of(CERT.certificate()))
                .maxSessionsPerConnection(3)
                .build(),
            acceptor);
    client = new WtTestClient(server.address());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void bidiAndDatagramAreEchoed() throws Exception {
    WtTestClient.Connect session = client.connect("/wt?token=t1", "webtransport");
    assertThat(session.status.get(T, TimeUnit.SECONDS)).isEqualTo(200);
    SessionRequest request = offered.poll(T, TimeUnit.SECONDS);
    assertThat(request.query()).isEqualTo("token=t1");
    assertThat(request.origin()).contains("https://example.test");
    assertThat(request.headers()).containsEntry(":protocol", List.of("webtransport"));

    assertThat(client.stream(QuicStreamType.BIDIRECTIONAL, session.sessionId(), "hello bidi"))
        .as("echoed to its end")
        .isEqualTo(new WtTestClient.Received("hello bidi", true));

    // Datagrams may be lost (and are, now and then, on a loaded machine): send until one returns.
    byte[] echoed = null;
    for (int i = 0; i < 60 && echoed == null; i++) {
      client.sendDatagram(session.sessionId(), "ping");
      echoed = client.datagrams.poll(500, TimeUnit.MILLISECONDS);
    }
    assertThat(echoed).isNotNull();
    assertThat(new String(echoed, 1, echoed.length - 1, StandardCharsets.UTF_8)).isEqualTo("ping");
  }

  @Test
  void aUniStreamIsEchoedOnAServerUniStream() throws Exception {
    WtTestClient.Connect session = client.connect("/wt", "webtransport");
    assertThat(session.status.get(T, TimeUnit.SECONDS)).isEqualTo(200);
    client.stream(QuicStreamType.UNIDIRECTIONAL, session.sessionId(), "hello uni");
    WtTestClient.Received uni = client.uniStreams.poll(T, TimeUnit.SECONDS);
    assertThat(uni).isNotNull();
    // The server's uni stream still carries the session id after the type HTTP/3 read.
    byte[] raw = uni.text().getBytes(StandardCharsets.ISO_8859_1);
    assertThat(raw[0]).isEqualTo((byte) session.sessionId());
    assertThat(uni.text().substring(1)).isEqualTo("hello uni");
  }

  @Test
  void aMalformedCapsuleClosesOnlyItsSession() throws Exception {
    WtTestClient.Connect bad = client.connect("/wt", "webtransport");
    WtTestClient.Connect good = client.connect("/wt", "webtransport");
    assertThat(bad.status.get(T, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(good.status.get(T, TimeUnit.SECONDS)).isEqualTo(200);

    bad.sendCapsuleBytes(new byte[] {(byte) 0x80, 0, 0x28, 0x43, 2, 0, 0}); // CLOSE with 2 bytes

    assertThat(bad.ended.get(T, TimeUnit.SECONDS)).as("CONNECT stream reset, not ended").isFalse();
    await().atMost(Duration.ofSeconds(T)).until(() -> closes.containsKey(bad.sessionId()));
    assertThat(closes.get(bad.sessionId())).startsWith("270 malformed capsule");
    // The other session still echoes, to the stream's end.
    assertThat(client.stream(QuicStreamType.BIDIRECTIONAL, good.sessionId(), "still here"))
        .isEqualTo(new WtTestClient.Received("still here", true));
    assertThat(closes).doesNotContainKey(good.sessionId());
  }

  @Test
  void aClientCloseCapsuleReachesTheSessionAndEndsTheConnectStream() throws Exception {
    WtTestClient.Connect session = client.connect("/wt", "webtransport");
    assertThat(session.status.get(T, TimeUnit.SECONDS)).isEqualTo(200);
    session.sendCapsuleBytes(new byte[] {(byte) 0x80, 0, 0x28, 0x43, 6, 0, 0, 0, 9, 'o', 'k'});
    assertThat(session.ended.get(T, TimeUnit.SECONDS)).as("FIN from the server").isTrue();
    await().atMost(Duration.ofSeconds(T)).until(() -> closes.containsKey(session.sessionId()));
    assertThat(closes.get(session.sessionId())).isEqualTo("9 ok");
  }

  @Test
  void aStreamNamingAnUnknownSessionIsResetAndTheConnectionLives() throws Exception {
    WtTestClient.Connect session = client.connect("/wt", "webtransport");
    assertThat(session.status.get(T, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(client.stream(QuicStreamType.BIDIRECTIONAL, 400, "nobody"))
        .isEqualTo(new WtTestClient.Received("", false));
    assertThat(client.stream(QuicStreamType.BIDIRECTIONAL, session.sessionId(), "alive"))
        .isEqualTo(new WtTestClient.Received("alive", true));
  }

  @Test
  void otherRequestsGetAnErrorStatusOnTheSameConnection() throws Exception {
    assertThat(client.connect("/other", "webtransport").status.get(T, TimeUnit.SECONDS))
        .isEqualTo(404);
    assertThat(client.connect("/wt", "websocket").status.get(T, TimeUnit.SECONDS)).isEqualTo(400);
    assertThat(client.connect("/wt?refuse", "webtransport").status.get(T, TimeUnit.SECONDS))
        .isEqualTo(403);
    assertThat(client.connect("/wt", "webtransport").status.get(T, TimeUnit.SECONDS))
        .isEqualTo(200);
  }

  @Test
  void sessionsBeyondTheLimitGet429() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(client.connect("/wt", "webtransport").status.get(T, TimeUnit.SECONDS))
          .isEqualTo(200);
    }
    assertThat(client.connect("/wt", "webtransport").status.get(T, TimeUnit.SECONDS))
        .isEqualTo(429);
  }

  @Test
  void closingTheConnectionClosesItsSessions() throws Exception {
    WtTestClient.Connect session = client.connect("/wt", "webtransport");
    assertThat(session.status.get(T, TimeUnit.SECONDS)).isEqualTo(200);
    client.close();
    await().atMost(Duration.ofSeconds(T)).until(() -> closes.containsKey(session.sessionId()));
  }
}
