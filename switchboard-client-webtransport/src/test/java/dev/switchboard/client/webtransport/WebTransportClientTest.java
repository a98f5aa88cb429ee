package dev.switchboard.client.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.ApiKey;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.client.ConnectFailedException;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.server.Mode;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.server.WebTransportDevice;
import dev.switchboard.server.WebTransportOptions;
import dev.switchboard.webtransport.DevCertificate;
import dev.switchboard.webtransport.WtIncomingStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client over WebTransport against a production server with a configured certificate: the
 * same RPC, subscriptions and pushes as over WebSocket, and the application's own datagrams and
 * streams through {@link dev.switchboard.server.WebTransportApplication}.
 */
class WebTransportClientTest {
  private static final long T = 30;
  private static final String SECRET = "wt-client-tests-hmac-secret-of-32-bytes!";
  private static final String API_KEY = "wt-client-tests-api-key-0123";
  private static final DevCertificate CERT = DevCertificate.generate(Duration.ofDays(10));
  private static final BlockingQueue<String> APP_SAW = new LinkedBlockingQueue<>();

  @TempDir static Path pem;
  private static SwitchboardServer server;

  @BeforeAll
  static void start() throws Exception {
    Path chain = pem.resolve("chain.pem");
    Path key = pem.resolve("key.pem");
    Files.writeString(chain, pem("CERTIFICATE", CERT.certificate().getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", CERT.privateKey().getEncoded()));
    server =
        SwitchboardServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .mode(Mode.PRODUCTION)
                .jwt(JwtConfig.builder().secret(SECRET).algorithms(Set.of("HS256")).build())
                .apiKey(ApiKey.of(API_KEY))
                .webTransport(WebTransportOptions.OFF.withPort(0).withCertificate(chain, key))
                .methods(
                    RpcMethods.builder()
                        .method("sum", c -> c.param(0, Integer.class) + c.param(1, Integer.class))
                        .method(
                            "askBack",
                            c -> c.peer().call("double", Params.of(21), Integer.class).join())
                        .build())
                .webTransportApplication(WebTransportClientTest::application)
                .build());
  }

  /**
   * The application: a datagram {@code "tick?"} is answered with a notification datagram, a
   * unidirectional stream is answered on a server-opened one with its text upper-cased.
   */
  private static void application(WebTransportDevice device) {
    APP_SAW.add("opened " + device.identity().userId());
    device
        .session()
        .onDatagram(
            d -> {
              if (new String(d, StandardCharsets.UTF_8).equals("tick?")) {
                device.notifyByDatagram("tick", Json.nodes().objectNode().put("n", 1));
              }
            })
        .onUnidirectionalStream(
            in ->
                readToEnd(in)
                    .thenCompose(
                        text ->
                            device
                                .session()
                                .openUnidirectionalStream()
                                .thenAccept(
                                    out -> {
                                      out.write(
                                          text.toUpperCase().getBytes(StandardCharsets.UTF_8));
                                      out.end();
                                    })));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String token(String user) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build());
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static WebTransportClient.Builder device(String user) throws Exception {
    URI wt = server.webTransportUri().orElseThrow();
    return WebTransportClient.builder(URI.create(wt + "?token=" + token(user)))
        .certificateHash(CERT.sha256Base64());
  }

  private static JsonNode push(String channel, String text) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.port() + "/api/v1/notifications/channel"))
                    .header("content-type", "application/json")
                    .header("x-api-key", API_KEY)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            Json.mapper()
                                .writeValueAsString(
                                    Map.of(
                                        "channel",
                                        channel,
                                        "event_type",
                                        "headline",
                                        "payload",
                                        Map.of("text", text)))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  @Test
  void rpcBothWaysAndAPushWorkAsOverWebSocket() throws Exception {
    BlockingQueue<JsonNode> pushes = new LinkedBlockingQueue<>();
    try (WebTransportClient client =
        device("ann")
            .methods(
                RpcMethods.builder()
                    .method("double", c -> c.param(0, Integer.class) * 2)
                    .method(
                        "notification",
                        c -> {
                          pushes.add(c.params().node());
                          return null;
                        })
                    .build())
            .connect()) {
      assertThat(client.call("sum", Params.of(3, 4), Integer.class).get(T, TimeUnit.SECONDS))
          .isEqualTo(7);
      assertThat(client.call("askBack", Params.none(), Integer.class).get(T, TimeUnit.SECONDS))
          .as("the server calls the client's method and gets its answer")
          .isEqualTo(42);
      JsonNode subscribed =
          client
              .call("subscribe", Params.named(Map.of("channels", List.of("news"))), JsonNode.class)
              .get(T, TimeUnit.SECONDS);
      assertThat(subscribed.get("subscribed").get(0).asText()).isEqualTo("news");

      assertThat(push("news", "hello").get("delivered_to").asInt()).isEqualTo(1);

      JsonNode notification = pushes.poll(T, TimeUnit.SECONDS);
      assertThat(notification).isNotNull();
      assertThat(notification.get("channel").asText()).isEqualTo("news");
      assertThat(notification.get("payload").get("text").asText()).isEqualTo("hello");
    }
  }

  @Test
  void aPushClientRunsOverWebTransportWithAFreshTokenPerConnection() throws Exception {
    BlockingQueue<dev.switchboard.client.PushNotification> news = new LinkedBlockingQueue<>();
    URI wt = server.webTransportUri().orElseThrow();
    try (dev.switchboard.client.PushClient client =
        dev.switchboard.client.PushClient.builder(wt)
            .connector(
                WebTransportClient.pushConnector(b -> b.certificateHash(CERT.sha256Base64())))
            .token(
                () -> {
                  try {
                    return token("eve");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .build()) {
      client.subscribe("alerts", news::add);
      client.connect().get(T, TimeUnit.SECONDS);
      push("alerts", "over quic");
      assertThat(news.poll(T, TimeUnit.SECONDS).payload().get("text").asText())
          .isEqualTo("over quic");
      assertThat(client.current().orElseThrow()).isInstanceOf(WebTransportClient.class);
    }
  }

  @Test
  void messagePackTravelsLengthPrefixed() throws Exception {
    try (WebTransportClient client = device("bob").encoding(Encoding.MSGPACK).connect()) {
      assertThat(client.uri().getQuery()).contains("encoding=msgpack");
      assertThat(client.call("sum", Params.of(40, 2), Integer.class).get(T, TimeUnit.SECONDS))
          .isEqualTo(42);
    }
  }

  @Test
  void theApplicationGetsTheSessionsOwnDatagramsAndStreams() throws Exception {
    try (WebTransportClient client = device("cam").connect()) {
      assertThat(client.call("sum", Params.of(1, 1), Integer.class).get(T, TimeUnit.SECONDS))
          .isEqualTo(2);
      assertThat(APP_SAW.poll(T, TimeUnit.SECONDS)).isNotNull();
      assertThat(server.webTransportDevices())
          .anySatisfy(d -> assertThat(d.identity().userId()).isEqualTo("cam"));

      // A notification as a datagram: datagrams may be lost, so ask until one comes.
      BlockingQueue<String> datagrams = new LinkedBlockingQueue<>();
      client.session().onDatagram(d -> datagrams.add(new String(d, StandardCharsets.UTF_8)));
      String tick = null;
      for (int i = 0; i < 20 && tick == null; i++) {
        client.session().sendDatagram("tick?".getBytes(StandardCharsets.UTF_8));
        tick = datagrams.poll(1, TimeUnit.SECONDS);
      }
      JsonNode message = Json.mapper().readTree(tick);
      assertThat(message.get("method").asText()).isEqualTo("tick");
      assertThat(message.get("params").get("n").asInt()).isEqualTo(1);
      assertThat(message.has("id")).isFalse();

      // A unidirectional stream, answered on one the server opens.
      BlockingQueue<CompletableFuture<String>> incoming = new LinkedBlockingQueue<>();
      client.session().onUnidirectionalStream(in -> incoming.add(readToEnd(in)));
      var out =
          client
              .session()
              .openUnidirectionalStream()
              .toCompletableFuture()
              .get(T, TimeUnit.SECONDS);
      out.write("shout".getBytes(StandardCharsets.UTF_8));
      out.end();
      assertThat(incoming.poll(T, TimeUnit.SECONDS).get(T, TimeUnit.SECONDS)).isEqualTo("SHOUT");
    }
  }

  @Test
  void closingTheClientClosesTheSessionAndTheServerSeesTheDeviceGo() throws Exception {
    WebTransportClient client = device("dee").connect();
    client.call("sum", Params.of(1, 2), Integer.class).get(T, TimeUnit.SECONDS);
    client.close();
    assertThat(client.closeFuture().get(T, TimeUnit.SECONDS).code()).isEqualTo(1000);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(T))
        .until(
            () ->
                server.webTransportDevices().stream()
                    .noneMatch(d -> d.identity().userId().equals("dee")));
    assertThat(client.session().isClosed()).isTrue();
  }

  @Test
  void aServerShuttingDownTellsTheDeviceAndClosesItsSessionWith1001() throws Exception {
    SwitchboardServer dev =
        SwitchboardServer.start(
            ServerConfig.builder().host("127.0.0.1").port(0).mode(Mode.DEVELOPMENT).build());
    JsonNode info =
        Json.mapper()
            .readTree(
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:" + dev.port() + "/api/v1/webtransport"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    BlockingQueue<JsonNode> told = new LinkedBlockingQueue<>();
    WebTransportClient client =
        WebTransportClient.builder(URI.create(info.get("url").asText()))
            .certificateHash(info.get("certificate_hashes").get(0).get("value").asText())
            .methods(
                RpcMethods.builder()
                    .method(
                        "shutdown",
                        c -> {
                          told.add(c.params().node());
                          return null;
                        })
                    .build())
            .connect();
    assertThat(client.call("ping", Params.none(), String.class).get(T, TimeUnit.SECONDS))
        .isEqualTo("pong");

    dev.close();

    assertThat(told.poll(T, TimeUnit.SECONDS)).as("the shutdown notification").isNotNull();
    assertThat(client.closeFuture().get(T, TimeUnit.SECONDS).code()).isEqualTo(1001);
  }

  @Test
  void aDeviceWithoutATokenIsRefusedNamingTheStatus() {
    URI wt = server.webTransportUri().orElseThrow();
    assertThatThrownBy(
            () -> WebTransportClient.builder(wt).certificateHash(CERT.sha256Base64()).connect())
        .isInstanceOf(ConnectFailedException.class)
        .cause()
        .hasMessageContaining("401");
  }

  @Test
  void wrongUrisAreRefusedPointingToTheRightClient() {
    assertThatThrownBy(() -> SwitchboardClient.builder(URI.create("https://h:1/wt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WebTransportClient");
    assertThatThrownBy(() -> WebTransportClient.builder(URI.create("ws://h:1/ws")))
        .hasMessageContaining("https://");
    assertThatThrownBy(
            () -> WebTransportClient.builder(URI.create("https://h:1/wt?encoding=msgpack")))
        .hasMessageContaining("encoding()");
  }

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
