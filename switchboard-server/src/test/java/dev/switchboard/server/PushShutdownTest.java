package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.websocket.CloseCodes;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SwitchboardServer#close()} with devices connected: new connections and API calls are
 * refused with 503, every device gets {@code shutdown {reason, reconnect_after_seconds}} after
 * whatever was already queued for it, queues drain (up to the drain timeout), then each connection
 * closes with 1001.
 */
class PushShutdownTest {

  private static final String NOTICE =
      "{'jsonrpc':'2.0','method':'shutdown','params':{'reason':'server shutting down','reconnect_after_seconds':7}}";

  /**
   * Room for everything a paused device is sent here: this class tests draining, not the
   * slow-consumer policy.
   */
  private static final OutboxLimits ROOMY = new OutboxLimits(100_000, 256L << 20, 64 << 10);

  private static final String PAYLOAD = "q".repeat(8 << 10);

  private PushFixture push;
  private int sent;

  private PushFixture start(Duration drainTimeout) {
    push =
        PushFixture.start(
            PushFixture.production()
                .reconnectAfter(Duration.ofSeconds(7))
                .outboxLimits(ROOMY)
                .drainTimeout(drainTimeout));
    return push;
  }

  @AfterEach
  void close() {
    push.close();
  }

  /** Closes the server on another thread: close() blocks while queues drain. */
  private CompletableFuture<Void> closeInBackground() {
    return CompletableFuture.runAsync(push.server::close);
  }

  /**
   * Sends {@code user} (whose device is paused) batches of 8 KiB notifications until some of them
   * wait in the server's outbound queue (the socket buffers are full), and returns how many were
   * sent in all.
   */
  private int floodUntilQueued(String user) {
    Session transport = (Session) push.server.registry().devicesOf(user).iterator().next();
    for (int batch = 0; batch < 200 && transport.outbox().isEmpty(); batch++) {
      StringBuilder items = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        items
            .append(i == 0 ? "" : ",")
            .append("{'target':{'type':'user','value':'")
            .append(user)
            .append("'},'event_type':'n")
            .append(sent++)
            .append("','payload':'")
            .append(PAYLOAD)
            .append("'}");
      }
      push.http.ok(
          "/api/v1/notifications/batch", PushHttp.json("{'notifications':[" + items + "]}"));
    }
    assertThat(transport.outbox().isEmpty())
        .as("notifications wait in the queue after " + sent)
        .isFalse();
    return sent;
  }

  private static void assertToldThenClosed(PushDevice device) {
    PushDevice.Closed closed = device.awaitClosed(WAIT);
    assertThat(closed.code()).as(device + " closed").isEqualTo(CloseCodes.GOING_AWAY);
    List<JsonNode> messages = device.messages();
    assertThat(closed.messagesBefore())
        .as("nothing after the close frame")
        .isEqualTo(messages.size());
    assertThat(messages.getLast())
        .as(device + "'s last message")
        .isEqualTo(PushHttp.parse(PushHttp.json(NOTICE)));
  }

  @Test
  void everyDeviceIsToldToReconnectBeforeItsConnectionClosesWith1001() {
    start(Duration.ofSeconds(10));
    List<PushDevice> devices =
        List.of(push.device("alice"), push.device("alice"), push.device("bob"));

    push.server.close();

    devices.forEach(PushShutdownTest::assertToldThenClosed);
    assertThat(push.server.registry().connectionCount()).isZero();
  }

  @Test
  void notificationsQueuedBeforeShutdownArriveBeforeTheNotice() throws Exception {
    start(Duration.ofSeconds(10));
    PushDevice alice = push.device("alice");
    alice.pause();
    int queued = floodUntilQueued("alice");

    CompletableFuture<Void> closing = closeInBackground();
    alice.resume();

    closing.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
    assertToldThenClosed(alice);
    List<String> events =
        alice.notifications().stream().map(n -> n.get("event_type").asText()).toList();
    assertThat(events).isEqualTo(IntStream.range(0, queued).mapToObj(i -> "n" + i).toList());
  }

  @Test
  void duringShutdownNewConnectionsAndApiCallsAreRefusedWith503() throws Exception {
    start(Duration.ofSeconds(10));
    PushDevice bob = push.device("bob");
    PushDevice alice = push.device("alice");
    alice.pause(); // alice's full queue keeps the server draining while we knock
    floodUntilQueued("alice");

    CompletableFuture<Void> closing = closeInBackground();
    bob.await(m -> m.path("method").asText().equals("shutdown"), "the shutdown notice");

    assertThat(push.refusal("token=" + PushTokens.valid("carol"), Map.of())).isEqualTo(503);
    PushHttp.Response send =
        push.http.post(
            "/api/v1/notifications/broadcast", PushHttp.json("{'event_type':'late','payload':{}}"));
    assertThat(send.status()).isEqualTo(503);
    assertThat(send.json().get("error").get("code").asText()).isEqualTo("SHUTTING_DOWN");
    PushHttp.Response health = push.http.get("/health");
    assertThat(health.status()).as("health says so, for load balancers").isEqualTo(503);
    assertThat(health.json().get("status").asText()).isEqualTo("unhealthy");
    assertThat(health.json().get("reason").asText()).isEqualTo("shutting_down");
    assertThat(closing).isNotDone();

    alice.resume();
    closing.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
    assertToldThenClosed(alice);
    assertToldThenClosed(bob);
    assertThat(alice.notifications()).noneMatch(n -> n.get("event_type").asText().equals("late"));
  }

  @Test
  void aDeviceThatNeverDrainsDoesNotHoldShutdownPastTheDrainTimeout() throws Exception {
    start(Duration.ofMillis(200));
    PushDevice bob = push.device("bob");
    push.device("alice").pause();
    floodUntilQueued("alice");

    assertThat(closeInBackground())
        .as("close() returns though alice reads nothing")
        .succeedsWithin(
            Duration.ofMillis(200).plusSeconds(SwitchboardServer.STOP_SECONDS_AFTER_DRAIN));

    assertToldThenClosed(bob);
  }

  @Test
  void aRequestStillArrivingWhenTheDrainEndsIsAnsweredNotReset() throws Exception {
    start(Duration.ofMillis(200));
    try (Socket upload = new Socket("127.0.0.1", push.server.port())) {
      String body = "{\"event_type\":\"late\",\"payload\":{}}";
      OutputStream out = upload.getOutputStream();
      out.write(
          ("POST /api/v1/notifications/broadcast HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                  + PushFixture.API_KEY
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body.substring(0, 10))
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await("the upload to be read").atMost(WAIT).until(() -> push.server.openExchanges() == 1);
      CompletableFuture<Void> closing = closeInBackground();
      // Shutdown has begun once a new request is refused with 503; the upload began before and is
      // not finished.
      await("shutdown to begin")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> push.http.get("/api/v1/channels").status() == 503);
      out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      upload.setSoTimeout((int) WAIT.toMillis());
      String answer = new String(upload.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 200 ").contains("delivered_to");
      assertThat(closing).succeedsWithin(WAIT);
    }
  }

  @Test
  void closingTwiceIsHarmless() {
    start(Duration.ofSeconds(10));
    PushDevice alice = push.device("alice");

    push.server.close();
    push.server.close();

    assertToldThenClosed(alice);
  }
}
