package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.bench.DeviceTokens;
import dev.switchboard.server.Mode;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.server.WebTransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three transports of {@code ./switchboard load} against a real development-mode server in this
 * JVM: devices connect (with a token, and anonymously), get what is sent to their channel and to
 * their user, and report {@code dropped} only when the server ends them.
 */
class LoadTransportsTest {

  private static final String SECRET = "load-transports-test-secret-of-32-bytes-or-more";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DeviceTokens TOKENS =
      new DeviceTokens(SECRET, Clock.systemUTC(), Duration.ofHours(1));

  private static SwitchboardServer server;
  private static LoadTarget target;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    server =
        SwitchboardServer.start(
            development()
                .jwt(JwtConfig.builder().secret(SECRET).algorithms(Set.of("HS256")).build())
                .build());
    target = target(server);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private static ServerConfig.Builder development() {
    return ServerConfig.builder().host("127.0.0.1").port(0).mode(Mode.DEVELOPMENT);
  }

  private static LoadTarget target(SwitchboardServer s) {
    return new LoadTarget(
        URI.create("http://127.0.0.1:" + s.port()), Optional.empty(), Optional.of(SECRET));
  }

  static DeviceTransport transport(String name, LoadTarget to, Duration timeout) {
    return switch (name) {
      case "ws" -> new WebSocketTransport(to, 1, timeout);
      case "sse" -> new SseTransport(to, timeout);
      case "wt" -> new WebTransportTransport(to, timeout);
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws", "sse", "wt"})
  void devicesGetTheirChannelsAndTheirUsersNotifications(String name) throws Exception {
    Recorder withToken = new Recorder();
    Recorder anonymous = new Recorder();
    String user = "load-" + name;
    try (DeviceTransport transport = transport(name, target, CONNECT_TIMEOUT)) {
      assertThat(transport.name()).isEqualTo(name);
      LoadDevice device =
          transport
              .connect(
                  new DeviceSpec(user, List.of("news"), Optional.of(TOKENS.token(user))), withToken)
              .get(10, TimeUnit.SECONDS);
      LoadDevice stranger =
          transport
              .connect(new DeviceSpec("nobody", List.of("news"), Optional.empty()), anonymous)
              .get(10, TimeUnit.SECONDS);
      assertThat(device.transport()).isEqualTo(name);

      long sent = System.nanoTime();
      String news =
          post(
              "/api/v1/notifications/channel",
              "{\"channel\":\"news\",\"event_type\":\"t\",\"payload\":{\"sent_nanos\":"
                  + sent
                  + "}}");
      String direct =
          post(
              "/api/v1/notifications/send",
              "{\"target_user_id\":\""
                  + user
                  + "\",\"event_type\":\"t\",\"payload\":{\"sent_nanos\":1}}");

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(withToken.delivered).containsEntry(news, sent).containsEntry(direct, 1L);
                assertThat(anonymous.delivered).containsEntry(news, sent);
              });
      assertThat(anonymous.delivered).doesNotContainKey(direct);
      assertThat(withToken.receivedAfterSent).isTrue();

      device.close();
      device.close(); // twice: still quiet
      stranger.close();
      String late =
          post(
              "/api/v1/notifications/channel",
              "{\"channel\":\"news\",\"event_type\":\"t\",\"payload\":{}}");
      Thread.sleep(300);
      assertThat(withToken.delivered).doesNotContainKey(late);
    }
    assertThat(withToken.dropped).isEmpty();
    assertThat(anonymous.dropped).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws", "sse", "wt"})
  void aBadTokenFailsTheConnect(String name) {
    try (DeviceTransport transport = transport(name, target, CONNECT_TIMEOUT)) {
      Recorder recorder = new Recorder();
      assertThatThrownBy(
              () ->
                  transport
                      .connect(
                          new DeviceSpec("u", List.of("news"), Optional.of("not.a.token")),
                          recorder)
                      .get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isNotInstanceOf(TimeoutException.class)
          .hasMessageContaining("401");
      assertThat(recorder.dropped).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws", "sse"})
  void aServerThatNeverAnswersTimesOut(String name) throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DeviceTransport transport =
            transport(
                name,
                new LoadTarget(
                    URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    Optional.empty(),
                    Optional.empty()),
                Duration.ofMillis(300))) {
      Recorder recorder = new Recorder();
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  transport
                      .connect(new DeviceSpec("u", List.of("news"), Optional.empty()), recorder)
                      .get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(recorder.dropped).isEmpty();
    }
  }

  @Test
  void aServerWithoutWebTransportFailsTheConnectSayingSo() throws Exception {
    try (SwitchboardServer plain =
            SwitchboardServer.start(development().webTransport(WebTransportOptions.OFF).build());
        DeviceTransport transport = transport("wt", target(plain), CONNECT_TIMEOUT)) {
      assertThatThrownBy(
              () ->
                  transport
                      .connect(new DeviceSpec("u", List.of(), Optional.empty()), new Recorder())
                      .get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(WebTransportTransport.Unavailable.class)
          .hasMessageContaining("no WebTransport")
          .hasMessageContaining("404");
    }
  }

  @Test
  void stoppingTheServerDropsEveryConnectedDeviceButNotTheClosedOnes() throws Exception {
    SwitchboardServer doomed = SwitchboardServer.start(development().build());
    LoadTarget there = target(doomed);
    Recorder recorder = new Recorder();
    Recorder closedEarly = new Recorder();
    List<DeviceTransport> transports =
        List.of(
            transport("ws", there, CONNECT_TIMEOUT),
            transport("sse", there, CONNECT_TIMEOUT),
            transport("wt", there, CONNECT_TIMEOUT));
    try {
      for (DeviceTransport transport : transports) {
        transport
            .connect(new DeviceSpec("d", List.of("news"), Optional.empty()), recorder)
            .get(10, TimeUnit.SECONDS);
        // Without channels: connected at once (ws), at the connected event (sse), at pong (wt).
        transport
            .connect(new DeviceSpec("e", List.of(), Optional.empty()), closedEarly)
            .get(10, TimeUnit.SECONDS)
            .close();
      }
      doomed.close();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(recorder.dropped)
                      .extracting(d -> d.split(":")[0])
                      .containsExactlyInAnyOrder("ws", "sse", "wt"));
      assertThat(closedEarly.dropped).isEmpty();
      System.out.println("dropped: " + recorder.dropped);

      // The server is gone: to a new WebTransport transport it has none.
      try (DeviceTransport late = transport("wt", there, CONNECT_TIMEOUT)) {
        assertThatThrownBy(
                () ->
                    late.connect(new DeviceSpec("f", List.of(), Optional.empty()), new Recorder())
                        .get(10, TimeUnit.SECONDS))
            .cause()
            .isInstanceOf(WebTransportTransport.Unavailable.class)
            .hasMessageContaining("no WebTransport");
      }
    } finally {
      transports.forEach(DeviceTransport::close);
      doomed.close();
    }
    assertThat(recorder.dropped).hasSize(3); // closing the transports added none
  }

  @Test
  void pathsCarryTheTokenAndTheChannelsOnlyWhenThereAreAny() {
    DeviceSpec bare = new DeviceSpec("u", List.of(), Optional.empty());
    DeviceSpec full = new DeviceSpec("u", List.of("a", "b.c"), Optional.of("x.y+z"));
    assertThat(WebSocketTransport.path(bare)).isEqualTo("/ws");
    assertThat(WebSocketTransport.path(full)).isEqualTo("/ws?token=x.y%2Bz");
    assertThat(SseTransport.path(bare)).isEqualTo("/sse");
    assertThat(SseTransport.path(full)).isEqualTo("/sse?token=x.y%2Bz&channels=a,b.c");
    assertThat(WebTransportTransport.sessionUri(URI.create("https://h:1/wt"), full))
        .isEqualTo(URI.create("https://h:1/wt?token=x.y%2Bz"));
    assertThat(WebTransportTransport.sessionUri(URI.create("https://h:1/wt?a=1"), full))
        .isEqualTo(URI.create("https://h:1/wt?a=1&token=x.y%2Bz"));
  }

  private static String post(String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(target.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    JsonNode body = JSON.readTree(response.body());
    return body.path("notification_id").asText();
  }

  /** What a listener heard. */
  static final class Recorder implements DeviceListener {
    final Map<String, Long> delivered = new ConcurrentHashMap<>();
    final List<String> dropped = new CopyOnWriteArrayList<>();
    volatile boolean receivedAfterSent = true;

    @Override
    public void delivered(String notificationId, long sentNanos, long receivedNanos) {
      delivered.put(notificationId, sentNanos);
      if (sentNanos > 1 && receivedNanos < sentNanos) {
        receivedAfterSent = false;
      }
    }

    @Override
    public void dropped(String transport, String reason) {
      dropped.add(transport + ": " + reason);
    }
  }
}
