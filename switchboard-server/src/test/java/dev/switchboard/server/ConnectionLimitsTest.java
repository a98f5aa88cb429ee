package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.JwtConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections that do nothing useful are closed (header, body, idle and handshake timeouts, here 1
 * s each), and no more than {@link ConnectionLimits#maxOpenSockets()} are open at once. Every peer
 * is a plain socket, since HTTP clients do not dawdle on purpose.
 */
class ConnectionLimitsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final ConnectionLimits QUICK =
      new ConnectionLimits(TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT, 0);

  private PushFixture push;
  private final List<Socket> sockets = new ArrayList<>();

  private PushFixture start(ConnectionLimits limits) {
    push = PushFixture.start(PushFixture.production().connectionLimits(limits));
    return push;
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    push.close();
  }

  private Socket open() throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress("127.0.0.1", push.server.port()), (int) WAIT.toMillis());
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /**
   * What the server sends until it closes the connection; fails the test if it is still open after
   * {@code wait}.
   */
  private static String untilClosed(Socket socket, Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        got.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open after " + wait.toMillis() + " ms; got: " + got, e);
    } catch (SocketException reset) {
      // closed by a reset: what came before it counts
    }
    return got.toString(StandardCharsets.US_ASCII);
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws IOException {
    start(QUICK);
    long start = System.nanoTime();
    Socket idle = open();
    assertThat(untilClosed(idle, WAIT)).isEmpty();
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(TIMEOUT.toMillis() - 100);
    assertThat(push.stats().get("sockets").get("timed_out").asLong()).isEqualTo(1);
  }

  @Test
  void headersTrickledSlowerThanTheHeaderTimeoutGet408() throws Exception {
    start(QUICK);
    Socket slow = open();
    long start = System.nanoTime();
    Thread trickle =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    send(slow, "GET /health HTTP/1.1\r\n");
                    for (int i = 0; i < 50; i++) {
                      Thread.sleep(100);
                      send(slow, "X"); // one byte at a time: each read must not restart the clock
                    }
                  } catch (IOException | InterruptedException closed) {
                    // the server closed the connection: expected
                  }
                });
    assertThat(untilClosed(slow, WAIT)).startsWith("HTTP/1.1 408 ");
    assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis() + 1500);
    trickle.join(WAIT.toMillis());
  }

  @Test
  void aBodyNotSentWithinTheBodyTimeoutGets408() throws IOException {
    start(QUICK);
    Socket slow = open();
    send(
        slow,
        "POST /api/v1/notifications/broadcast HTTP/1.1\r\nHost: x\r\nX-API-Key: "
            + PushFixture.API_KEY
            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"event_type\":");
    assertThat(untilClosed(slow, WAIT)).startsWith("HTTP/1.1 408 ");
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeoutButABusyOneIsNot() throws Exception {
    start(QUICK);
    Socket busy = open();
    long start = System.nanoTime();
    for (int i = 0;
        i < 8;
        i++) { // 2 s of requests, each well within the idle timeout of the one before
      send(busy, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readAnswer(busy)).startsWith("HTTP/1.1 200 ");
      Thread.sleep(250);
    }
    assertThat(millisSince(start)).isGreaterThan(2 * TIMEOUT.toMillis());
    assertThat(untilClosed(busy, WAIT)).as("idle after its last answer").isEmpty();
  }

  @Test
  void anUpgradeNotAnsweredWithinTheHandshakeTimeoutGets503() throws IOException {
    // A JWK set that never arrives: the token's key cannot be looked up, so authentication hangs.
    try (ServerSocket silentJwks =
        new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      push =
          PushFixture.start(
              PushFixture.production()
                  .connectionLimits(QUICK)
                  .jwt(
                      JwtConfig.builder()
                          .jwksUrl(
                              URI.create(
                                  "http://127.0.0.1:" + silentJwks.getLocalPort() + "/jwks.json"))
                          .build()));
      String token =
          PushTokens.rs256(PushTokens.keyPair("RSA").getPrivate(), PushTokens.claims("alice"));
      long start = System.nanoTime();
      assertThat(push.http.upgradeStatus("/ws?token=" + token, Map.of())).isEqualTo(503);
      assertThat(millisSince(start)).isLessThan(TIMEOUT.toMillis() + 1500);
    }
  }

  @Test
  void atTheCapANewConnectionTakesThePlaceOfAnIdleOne() throws IOException {
    start(new ConnectionLimits(WAIT, WAIT, WAIT, WAIT, 3));
    List<Socket> idle = List.of(open(), open(), open());
    for (Socket socket :
        idle) { // answered, so surely counted (and idle) before the next one connects
      send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readAnswer(socket)).startsWith("HTTP/1.1 200 ");
    }
    Socket newcomer = open();
    send(newcomer, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(readAnswer(newcomer)).startsWith("HTTP/1.1 200 ");
    long closed =
        idle.stream().filter(socket -> endsWithin(socket, Duration.ofMillis(500))).count();
    assertThat(closed).as("idle connections closed to make room").isEqualTo(1);
    newcomer.close();
    for (Socket socket : idle) {
      socket.close();
    }
    // Until the server has counted those closes, the stats request below would itself be a
    // newcomer at the cap and evict one more.
    await("the closes to be counted").atMost(WAIT).until(() -> push.server.openSockets() == 0);
    assertThat(push.stats().get("sockets").get("evicted").asLong()).isEqualTo(1);
  }

  @Test
  void atTheCapWithNoIdleConnectionANewOneIsClosedAtOnceAndServedOnceOthersLeave()
      throws IOException {
    start(new ConnectionLimits(WAIT, WAIT, WAIT, WAIT, 3));
    List<Socket> busy = new ArrayList<>();
    for (int i = 0;
        i < 3;
        i++) { // each in the middle of an upload: not idle, never closed to make room
      Socket socket = open();
      send(
          socket,
          "POST /api/v1/notifications/broadcast HTTP/1.1\r\nHost: x\r\nX-API-Key: "
              + PushFixture.API_KEY
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
      busy.add(socket);
    }
    await("the uploads to be read").atMost(WAIT).until(() -> push.server.openExchanges() == 3);
    Socket beyond = open();
    long start = System.nanoTime();
    assertThat(untilClosed(beyond, WAIT)).isEmpty();
    assertThat(millisSince(start)).as("refused at once").isLessThan(500);
    for (Socket socket : busy) {
      socket.close();
    }
    await("the closes to be counted").atMost(WAIT).until(() -> push.server.openSockets() == 0);
    Socket again = open();
    send(again, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(readAnswer(again)).startsWith("HTTP/1.1 200 ");
    again.close();
    JsonNode sockets = push.stats().get("sockets");
    assertThat(sockets.get("max").asInt()).isEqualTo(3);
    assertThat(sockets.get("refused").asLong()).isEqualTo(1);
  }

  /** Whether the server closes {@code socket} (nothing more to read) within {@code wait}. */
  private static boolean endsWithin(Socket socket, Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Reads one answer whose body is JSON with a Content-Length. */
  private static String readAnswer(Socket socket) throws IOException {
    socket.setSoTimeout((int) WAIT.toMillis());
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return got.toString(StandardCharsets.US_ASCII);
      }
      got.write(b);
      String text = got.toString(StandardCharsets.US_ASCII);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        int at = text.toLowerCase().indexOf("content-length: ");
        int length = Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)).trim());
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
      }
    }
  }
}
