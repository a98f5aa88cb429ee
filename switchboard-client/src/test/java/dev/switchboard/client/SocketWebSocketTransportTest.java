package dev.switchboard.client;

import static dev.switchboard.client.TestWebSocketServer.Handshake.ACCEPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.TestWebSocketServer.Frame;
import dev.switchboard.client.TestWebSocketServer.Handshake;
import dev.switchboard.client.TestWebSocketServer.Peer;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.websocket.CloseCodes;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketWebSocketTransport}, the default transport, against a hand-written server that can
 * misbehave.
 */
class SocketWebSocketTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int FIN_TEXT = 0x81;
  private static final int FIN_PING = 0x89;
  private static final int FIN_CLOSE = 0x88;

  private TestWebSocketServer server;
  private SwitchboardClient client;

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** No keepalive, so the server sees only what a test sends. */
  private static RpcConfig quiet() {
    return RpcConfig.builder().pingInterval(Duration.ZERO).build();
  }

  private Peer connect(SwitchboardClient.Builder builder) throws Exception {
    client = builder.connect();
    return server.accept(WAIT);
  }

  private Peer connect(RpcConfig config) throws Exception {
    server = TestWebSocketServer.start(ACCEPT);
    return connect(SwitchboardClient.builder(server.uri("/ws")).rpc(config));
  }

  private CloseReason closeReason() throws Exception {
    return client.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // ---- handshake

  @Test
  void theHandshakeCarriesPathQueryTheProtocolAndCustomHeaders() throws Exception {
    server = TestWebSocketServer.start(ACCEPT);
    Peer peer =
        connect(
            SwitchboardClient.builder(server.uri("/ws?room=7"))
                .rpc(quiet())
                .header("Authorization", "Bearer abc"));

    assertThat(peer.requestLine()).isEqualTo("GET /ws?room=7&protocol=jsonrpc HTTP/1.1");
    assertThat(peer.headers())
        .containsEntry("host", "127.0.0.1:" + server.port())
        .containsEntry("upgrade", "websocket")
        .containsEntry("connection", "Upgrade")
        .containsEntry("sec-websocket-version", "13")
        .containsEntry("authorization", "Bearer abc");
    assertThat(Base64.getDecoder().decode(peer.headers().get("sec-websocket-key"))).hasSize(16);
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void theClientAlwaysNamesItsProtocol() {
    assertThat(SwitchboardClient.Builder.speakingJsonRpc(URI.create("ws://h:1/ws")))
        .hasToString("ws://h:1/ws?protocol=jsonrpc");
    assertThat(SwitchboardClient.Builder.speakingJsonRpc(URI.create("ws://h:1/ws?token=a%26b")))
        .hasToString("ws://h:1/ws?token=a%26b&protocol=jsonrpc");
    assertThat(
            SwitchboardClient.Builder.speakingJsonRpc(URI.create("ws://h:1/ws?protocol=jsonrpc")))
        .hasToString("ws://h:1/ws?protocol=jsonrpc");
    assertThatThrownBy(() -> SwitchboardClient.builder(URI.create("ws://h:1/ws?protocol=ara")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "this client speaks JSON-RPC; the URI asks for protocol=ara: ws://h:1/ws?protocol=ara");
  }

  @Test
  void aWrongAcceptKeyFailsTheConnect() throws Exception {
    server = TestWebSocketServer.start(Handshake.WRONG_ACCEPT);
    URI uri = server.uri("/ws");
    assertThatThrownBy(() -> SwitchboardClient.builder(uri).rpc(quiet()).connect())
        .isInstanceOf(ConnectFailedException.class)
        .hasMessageContaining(uri.toString())
        .hasMessageContaining("Sec-WebSocket-Accept");
  }

  @Test
  void aRefusedUpgradeFailsTheConnectWithTheStatusLine() throws Exception {
    server = TestWebSocketServer.start(Handshake.NOT_FOUND);
    URI uri = server.uri("/nope");
    assertThatThrownBy(() -> SwitchboardClient.connect(uri))
        .isInstanceOf(ConnectFailedException.class)
        .hasMessageContaining(uri.toString())
        .hasMessageContaining("HTTP/1.1 404 Not Found");
  }

  @Test
  void aServerThatNeverAnswersTheHandshakeTimesOutWithoutBlockingTheCaller() throws Exception {
    server = TestWebSocketServer.start(Handshake.SILENT);
    long start = System.nanoTime();
    CompletableFuture<SwitchboardClient> connecting =
        SwitchboardClient.builder(server.uri("/ws"))
            .connectTimeout(Duration.ofMillis(300))
            .connectAsync();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(250));

    assertThatThrownBy(() -> connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConnectFailedException.class)
        .hasMessageContaining("timed out");
  }

  @Test
  void aServerThatDoesNotSpeakTlsFailsAWssConnect() throws Exception {
    server = TestWebSocketServer.start(Handshake.SILENT);
    URI uri = URI.create("wss://localhost:" + server.port() + "/ws");
    assertThatThrownBy(
            () -> SwitchboardClient.builder(uri).connectTimeout(Duration.ofMillis(300)).connect())
        .isInstanceOf(ConnectFailedException.class)
        .hasMessageContaining(uri.toString());
  }

  @Test
  void anUnreachableServerFailsTheConnect() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
    assertThatThrownBy(() -> SwitchboardClient.connect(uri))
        .isInstanceOf(ConnectFailedException.class)
        .hasMessageContaining(uri.toString());
  }

  @Test
  void headersTheHandshakeSetsItselfAreRefused() {
    URI uri = URI.create("ws://127.0.0.1:1/ws");
    assertThatThrownBy(
            () -> SwitchboardClient.builder(uri).header("Sec-WebSocket-Key", "x").connectAsync())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Sec-WebSocket-Key");
    assertThatThrownBy(
            () -> SwitchboardClient.builder(uri).header("X-Evil", "a\r\nHost: b").connectAsync())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line break");
  }

  @Test
  void anHttpClientOfTheUsersSelectsTheJdkWebSocketStack() throws Exception {
    server = TestWebSocketServer.start(ACCEPT);
    Peer peer =
        connect(
            SwitchboardClient.builder(server.uri("/ws"))
                .rpc(quiet())
                .httpClient(HttpClient.newHttpClient()));
    assertThat(peer.headers().get("user-agent")).startsWith("Java-http-client");
    assertThat(client.notify("note", Params.of(1))).isTrue();
    assertThat(peer.read(WAIT).text()).contains("\"method\":\"note\"");
  }

  // ---- what the client writes

  @Test
  void clientFramesAreMaskedWithFreshKeysAndDecodeToTheMessage() throws Exception {
    Peer peer = connect(quiet());
    assertThat(client.notify("note", Params.of(1))).isTrue();
    assertThat(client.notify("note", Params.of(2))).isTrue();

    Frame first = peer.read(WAIT);
    Frame second = peer.read(WAIT);
    assertThat(first.masked()).isTrue();
    assertThat(first.fin()).isTrue();
    assertThat(first.opcode()).isEqualTo(0x1);
    assertThat(first.text()).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"note\",\"params\":[1]}");
    assertThat(second.text()).contains("\"params\":[2]");
    assertThat(second.maskKey()).isNotEqualTo(first.maskKey());
  }

  @Test
  void messagePackGoesInBinaryFrames() throws Exception {
    Peer peer = connect(quiet().toBuilder().encoding(Encoding.MSGPACK).build());
    assertThat(client.notify("note", Params.of(1))).isTrue();
    Frame frame = peer.read(WAIT);
    assertThat(frame.opcode()).isEqualTo(0x2);
    assertThat(frame.masked()).isTrue();
  }

  @Test
  void tenThousandQueuedMessagesArriveIntactInOrderAndCoalesced() throws Exception {
    server = TestWebSocketServer.start(ACCEPT);
    Peer peer =
        connect(
            SwitchboardClient.builder(server.uri("/ws")).rpc(quiet()).maxQueuedMessages(20_000));
    int readsBefore = peer.socketReads();
    int count = 10_000;
    for (int i = 0; i < count; i++) {
      assertThat(client.notify("n", Params.of(i))).isTrue();
    }
    for (int i = 0; i < count; i++) {
      Frame frame = peer.read(WAIT);
      assertThat(frame.masked()).isTrue();
      assertThat(frame.text())
          .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":[" + i + "]}");
    }
    assertThat(peer.socketReads() - readsBefore).isLessThan(count / 10);
  }

  // ---- what the server sends

  @Test
  void aCallTheServerSendsWithItsHandshakeAnswerIsNotMissed() throws Exception {
    server =
        TestWebSocketServer.greeting(
            TestWebSocketServer.frame(
                FIN_TEXT,
                utf8("{\"jsonrpc\":\"2.0\",\"method\":\"greet\",\"params\":[\"early\"],\"id\":1}"),
                null));
    RpcMethods methods =
        RpcMethods.builder()
            .method("greet", call -> "hello " + call.param(0, String.class))
            .build();
    Peer peer = connect(SwitchboardClient.builder(server.uri("/ws")).rpc(quiet()).methods(methods));
    assertThat(peer.read(WAIT).text()).contains("\"result\":\"hello early\"");
  }

  @Test
  void aFragmentedServerMessageIsAssembledWithAPingBetweenItsFragments() throws Exception {
    server = TestWebSocketServer.start(ACCEPT);
    RpcMethods methods =
        RpcMethods.builder()
            .method("greet", call -> "hello " + call.param(0, String.class))
            .build();
    Peer peer = connect(SwitchboardClient.builder(server.uri("/ws")).rpc(quiet()).methods(methods));

    peer.sendFrame(0x01, utf8("{\"jsonrpc\":\"2.0\","));
    peer.sendFrame(FIN_PING, utf8("mid"));
    peer.sendFrame(0x00, utf8("\"method\":\"greet\",\"params\":[\"bob\"],"));
    peer.sendFrame(0x80, utf8("\"id\":7}"));

    Frame pong = peer.read(WAIT);
    assertThat(pong.opcode()).isEqualTo(0xA);
    assertThat(pong.text()).isEqualTo("mid");
    Frame answer = peer.read(WAIT);
    assertThat(answer.text()).contains("\"result\":\"hello bob\"").contains("\"id\":7");
  }

  @Test
  void aServerPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
    Peer peer = connect(quiet());
    byte[] payload = {0, 1, 2, (byte) 0xFF, 'x'};
    peer.sendFrame(FIN_PING, payload);
    Frame pong = peer.read(WAIT);
    assertThat(pong.opcode()).isEqualTo(0xA);
    assertThat(pong.masked()).isTrue();
    assertThat(pong.payload()).isEqualTo(payload);
  }

  @Test
  void aMaskedServerFrameClosesWith1002() throws Exception {
    Peer peer = connect(quiet());
    peer.send(TestWebSocketServer.frame(FIN_TEXT, utf8("{}"), 0x12345678));
    assertClosedByTheClientWith(peer, CloseCodes.PROTOCOL_ERROR, "masked");
  }

  @Test
  void aFrameWithRsvBitsClosesWith1002() throws Exception {
    Peer peer = connect(quiet());
    peer.sendFrame(FIN_TEXT | 0x40, utf8("{}"));
    assertClosedByTheClientWith(peer, CloseCodes.PROTOCOL_ERROR, "RSV");
  }

  @Test
  void anOversizedMessageClosesWith1009() throws Exception {
    Peer peer = connect(quiet().toBuilder().maxMessageBytes(1000).build());
    peer.sendFrame(FIN_TEXT, utf8("x".repeat(5000)));
    assertClosedByTheClientWith(
        peer, CloseCodes.MESSAGE_TOO_BIG, "exceeds the limit of 1000 bytes");
  }

  @Test
  void anOversizedFragmentedMessageClosesWith1009() throws Exception {
    Peer peer = connect(quiet().toBuilder().maxMessageBytes(1000).build());
    peer.sendFrame(0x01, utf8("x".repeat(400)));
    peer.sendFrame(0x00, utf8("x".repeat(400)));
    peer.sendFrame(0x80, utf8("x".repeat(400)));
    assertClosedByTheClientWith(
        peer, CloseCodes.MESSAGE_TOO_BIG, "exceeds the limit of 1000 bytes");
  }

  @Test
  void aTextMessageThatIsNotUtf8ClosesWith1007() throws Exception {
    Peer peer = connect(quiet());
    peer.sendFrame(FIN_TEXT, new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'});
    assertClosedByTheClientWith(peer, CloseCodes.INVALID_PAYLOAD, "UTF-8");
  }

  /** The client sends its close frame, the server answers, and the client ends the connection. */
  private void assertClosedByTheClientWith(Peer peer, int code, String reasonPart)
      throws Exception {
    Frame close = peer.read(WAIT);
    assertThat(close.opcode()).isEqualTo(0x8);
    assertThat(close.closeCode()).isEqualTo(code);
    assertThat(closeReason().code()).isEqualTo(code);
    assertThat(closeReason().reason()).contains(reasonPart);
    peer.sendFrame(FIN_CLOSE, close.payload());
    assertThat(peer.endsWithin(WAIT)).isTrue();
  }

  // ---- closing

  @Test
  void aServerCloseIsEchoedAndReportedWithItsCode() throws Exception {
    Peer peer = connect(quiet());
    peer.sendFrame(
        FIN_CLOSE, TestWebSocketServer.closePayload(CloseCodes.GOING_AWAY, "restarting"));

    Frame echo = peer.read(WAIT);
    assertThat(echo.opcode()).isEqualTo(0x8);
    assertThat(echo.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
    assertThat(closeReason()).isEqualTo(new CloseReason(CloseCodes.GOING_AWAY, "restarting"));
    assertThat(peer.endsWithin(WAIT)).isTrue();
    assertThat(client.notify("late", Params.none())).isFalse();
  }

  @Test
  void aServerCloseWithoutACodeIsReportedAs1005() throws Exception {
    Peer peer = connect(quiet());
    peer.sendFrame(FIN_CLOSE, new byte[0]);
    assertThat(peer.read(WAIT).payload()).isEmpty();
    assertThat(closeReason().code()).isEqualTo(1005);
  }

  @Test
  void aServerCloseWithAnApplicationCodeIsReportedUnchanged() throws Exception {
    Peer peer = connect(quiet());
    peer.sendFrame(FIN_CLOSE, TestWebSocketServer.closePayload(4001, "token expired"));
    assertThat(peer.read(WAIT).closeCode()).isEqualTo(4001);
    assertThat(closeReason()).isEqualTo(new CloseReason(4001, "token expired"));
  }

  @Test
  void aServerCloseWithACodeRfc6455ForbidsIsReportedAs1002() throws Exception {
    Peer peer = connect(quiet());
    peer.sendFrame(FIN_CLOSE, TestWebSocketServer.closePayload(CloseCodes.ABNORMAL, "dropped?"));
    assertThat(peer.read(WAIT).closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    assertThat(closeReason().code()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    assertThat(closeReason().reason()).contains("invalid code 1006");
  }

  @Test
  void theClientsCloseIsSentAndTheServersAnswerEndsTheConnection() throws Exception {
    Peer peer = connect(quiet());
    client.close();
    Frame close = peer.read(WAIT);
    assertThat(close.closeCode()).isEqualTo(CloseCodes.NORMAL);
    peer.sendFrame(FIN_CLOSE, close.payload());
    assertThat(peer.endsWithin(WAIT)).isTrue();
    assertThat(closeReason().code()).isEqualTo(CloseCodes.NORMAL);
  }

  @Test
  void aConnectionDroppedWithoutACloseFrameIsReportedAs1006() throws Exception {
    Peer peer = connect(quiet());
    peer.close();
    assertThat(closeReason().code()).isEqualTo(CloseCodes.ABNORMAL);
  }

  @Test
  void theSocketIsDroppedWhenTheServerNeverAnswersOurClose() throws Exception {
    server = TestWebSocketServer.start(ACCEPT);
    SocketWebSocketTransport transport =
        new SocketWebSocketTransport(
            server.uri("/ws"),
            Map.of(),
            WAIT,
            1 << 20,
            16,
            RpcConfig.defaults().scheduler(),
            Duration.ofMillis(200));
    RpcConnection rpc = RpcConnection.open(transport, RpcMethods.empty(), quiet());
    transport.connect(rpc).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Peer peer = server.accept(WAIT);

    rpc.close(CloseReason.GOING_AWAY, "é".repeat(100)); // 200 bytes of reason: cut to fit
    Frame close = peer.read(WAIT);
    assertThat(close.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
    assertThat(close.payload().length).isLessThanOrEqualTo(125);
    assertThat(peer.endsWithin(WAIT)).isTrue();
    assertThat(transport.send(Encoding.JSON, utf8("{}"))).isFalse();
  }

  @Test
  void theJdkStackCutsALongCloseReasonToFitItsFrame() throws Exception {
    server = TestWebSocketServer.start(ACCEPT);
    JdkWebSocketTransport transport = new JdkWebSocketTransport("jdk", 1 << 20, 16);
    RpcConnection rpc = RpcConnection.open(transport, RpcMethods.empty(), quiet());
    transport.attach(rpc);
    HttpClient http = HttpClient.newHttpClient();
    try {
      http.newWebSocketBuilder()
          .buildAsync(server.uri("/ws"), transport)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Peer peer = server.accept(WAIT);

      rpc.close(CloseReason.GOING_AWAY, "é".repeat(100)); // 200 bytes: too long for a close frame
      Frame close = peer.read(WAIT);
      assertThat(close.opcode()).isEqualTo(0x8);
      assertThat(close.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
      assertThat(close.payload().length).isLessThanOrEqualTo(125);
      assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
          .isEqualTo("é".repeat(61));
    } finally {
      http.shutdownNow();
    }
  }

  // ---- keepalive

  @Test
  void pongsKeepTheConnectionAliveAndUnansweredPingsCloseIt() throws Exception {
    Peer peer =
        connect(
            quiet().toBuilder()
                .pingInterval(Duration.ofMillis(50))
                .pingTimeout(Duration.ofMillis(300))
                .maxMissedPings(2)
                .build());
    long answerUntil = System.nanoTime() + Duration.ofMillis(500).toNanos();
    while (System.nanoTime() < answerUntil) {
      Frame ping = peer.read(WAIT);
      assertThat(ping.opcode()).isEqualTo(0x9);
      peer.sendFrame(0x8A, ping.payload());
    }
    assertThat(client.isOpen()).isTrue();

    CloseReason reason = closeReason(); // now we stop answering
    assertThat(reason.code()).isEqualTo(CloseCodes.GOING_AWAY);
    assertThat(reason.reason()).contains("keepalive");
  }
}
