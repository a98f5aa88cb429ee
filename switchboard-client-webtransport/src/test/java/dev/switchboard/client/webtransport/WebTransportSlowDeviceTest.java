package dev.switchboard.client.webtransport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.server.Mode;
import dev.switchboard.server.ServerConfig;
import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.webtransport.ConnectOptions;
import dev.switchboard.webtransport.WebTransportConnector;
import dev.switchboard.webtransport.WebTransportSession;
import dev.switchboard.webtransport.WtStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebTransport device that never reads its RPC stream holds up nobody and holds bounded memory:
 * QUIC flow control stops the bytes at its window, the session's outbound queue (100 messages, 256
 * KiB here) takes the rest, and once the queue is full of High notifications the device is closed
 * with 4008 (its close capsule travels on the CONNECT stream, which flow control on the RPC stream
 * does not block). A WebSocket device meanwhile gets every notification in order.
 */
class WebTransportSlowDeviceTest {
  private static final OutboxLimits LIMITS = new OutboxLimits(100, 256 << 10, 16 << 10);
  private static final int BATCH = 20;
  private static final int MAX_BATCHES = 200; // 32 MiB: far beyond any window or buffer
  private static final String PAYLOAD = "p".repeat(8 << 10);

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> healthyGot = new CopyOnWriteArrayList<>();
  private SwitchboardServer server;
  private SwitchboardClient healthy;
  private WebTransportSession slow;
  private int sent;

  @BeforeEach
  void start() throws Exception {
    server =
        SwitchboardServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .mode(Mode.DEVELOPMENT)
                .outboxLimits(LIMITS)
                .build());
    healthy =
        SwitchboardClient.builder(server.webSocketUri())
            .methods(
                RpcMethods.builder()
                    // Non-blocking: run in arrival order on the reader (the others run on virtual
                    // threads, concurrently, and could record the order they happened to finish).
                    .nonBlockingMethod(
                        "notification",
                        c -> {
                          healthyGot.add(c.params().node().get("event_type").asText());
                          return null;
                        })
                    .build())
            .connect();
    JsonNode info = get("/api/v1/webtransport");
    slow =
        WebTransportConnector.connect(
                URI.create(info.get("url").asText()),
                ConnectOptions.builder()
                    .certificateHashes(
                        List.of(info.get("certificate_hashes").get(0).get("value").asText()))
                    .build())
            .get(30, TimeUnit.SECONDS);
    // The RPC stream, opened and never read: no data handler, so the stream never asks for more.
    WtStream rpc = slow.openBidirectionalStream().toCompletableFuture().get(30, TimeUnit.SECONDS);
    rpc.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n".getBytes());
    Awaitility.await().until(() -> get("/stats").get("connections").asInt() == 2);
  }

  @AfterEach
  void stop() {
    healthy.close();
    slow.close(0, "");
    server.close();
  }

  @Test
  void aDeviceThatNeverReadsIsClosedWith4008AndTheOthersGetEverything() throws Exception {
    CompletableFuture<String> closed = new CompletableFuture<>();
    slow.onClose((code, reason) -> closed.complete(code + " " + reason));
    JsonNode messages = null;
    for (int batch = 0; batch < MAX_BATCHES && !closed.isDone(); batch++) {
      broadcastHighBatch();
      messages = get("/stats").get("messages");
      if (messages.get("slow_consumers_disconnected").asLong() > 0) {
        break;
      }
    }
    assertThat(messages.get("slow_consumers_disconnected").asLong()).isEqualTo(1);
    assertThat(messages.get("dropped").asLong())
        .as("High notifications are never dropped")
        .isZero();
    assertThat(closed.get(30, TimeUnit.SECONDS))
        .startsWith("4008 ")
        .contains("slow consumer")
        .contains("100 messages");
    assertThat(healthyGot)
        .as("the WebSocket device's notifications, all in order")
        .isEqualTo(IntStream.range(0, sent).mapToObj(i -> "n" + i).toList());
  }

  /** Broadcasts {@link #BATCH} High notifications; waits until the healthy device has them. */
  private void broadcastHighBatch() throws Exception {
    var items = Json.nodes().arrayNode();
    for (int i = 0; i < BATCH; i++) {
      items
          .addObject()
          .put("event_type", "n" + (sent + i))
          .put("priority", "High")
          .put("payload", PAYLOAD)
          .putObject("target")
          .put("type", "broadcast");
    }
    JsonNode answer =
        post("/api/v1/notifications/batch", Json.nodes().objectNode().set("notifications", items));
    assertThat(answer.get("successful").asInt()).isEqualTo(BATCH);
    sent += BATCH;
    Awaitility.await().until(() -> healthyGot.size() == sent);
  }

  private JsonNode get(String path) throws Exception {
    return Json.mapper()
        .readTree(
            http.send(
                    HttpRequest.newBuilder(base(path)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
  }

  private JsonNode post(String path, JsonNode body) throws Exception {
    return Json.mapper()
        .readTree(
            http.send(
                    HttpRequest.newBuilder(base(path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
  }

  private URI base(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
