package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.OutboxLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An SSE stream whose reader stops reading (a frozen tab) is held to the same outbound-queue policy
 * as a WebSocket: once its queue of High notifications is full it is closed as a slow consumer,
 * counted once, its place freed, and its connection cut within the close grace though it never
 * reads again. A healthy device meanwhile gets everything. Development mode: the stream needs no
 * token, so the reader is a raw socket that sends its request and never reads.
 */
class SseSlowConsumerTest {

  private static final OutboxLimits LIMITS = new OutboxLimits(100, 256 << 10, 16 << 10);
  private static final int BATCH = 20;
  private static final int MAX_BATCHES = 200;
  private static final String PAYLOAD = "p".repeat(8 << 10);

  private PushFixture push;
  private PushDevice healthy;
  private Socket frozen;
  private int sent;

  @BeforeEach
  void connect() throws IOException {
    push = PushFixture.start(PushFixture.development().outboxLimits(LIMITS));
    healthy = push.anonymousDevice();
    frozen = new Socket("127.0.0.1", push.server.port());
    frozen.setReceiveBufferSize(4096);
    OutputStream out = frozen.getOutputStream();
    out.write("GET /sse HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    push.awaitConnections(2);
  }

  @AfterEach
  void close() throws IOException {
    frozen.close();
    push.close();
  }

  /** Broadcasts a batch of 8 KiB High notifications; the healthy device has all of it after. */
  private void broadcastBatch() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < BATCH; i++) {
      items
          .append(i == 0 ? "" : ",")
          .append("{'target':{'type':'broadcast'},'event_type':'n")
          .append(sent + i)
          .append("','priority':'High','payload':'")
          .append(PAYLOAD)
          .append("'}");
    }
    push.http.ok("/api/v1/notifications/batch", PushHttp.json("{'notifications':[" + items + "]}"));
    sent += BATCH;
    healthy.awaitEvent("n" + (sent - 1));
  }

  private JsonNode floodUntilASlowConsumerIsClosed() {
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      broadcastBatch();
      JsonNode messages = push.stats().get("messages");
      if (messages.get("slow_consumers_disconnected").asLong() > 0) {
        return messages;
      }
    }
    throw new AssertionError("no slow consumer after " + sent + " notifications of 8 KiB");
  }

  @Test
  void aStreamThatStopsReadingIsClosedAsASlowConsumerAndItsPlaceFreedAtOnce() {
    JsonNode messages = floodUntilASlowConsumerIsClosed();

    assertThat(messages.get("dropped").asLong()).as("High is never dropped").isZero();
    assertThat(push.stats().get("connections").asInt()).as("only the healthy device").isEqualTo(1);
    JsonNode after = push.notify("broadcast", "{'event_type':'after','payload':1}");
    assertThat(after.get("delivered_to").asInt()).isEqualTo(1);
    assertThat(healthy.isOpen()).isTrue();
    broadcastBatch();
    assertThat(push.stats().get("messages").get("slow_consumers_disconnected").asLong())
        .as("counted once")
        .isEqualTo(1);
  }

  @Test
  void theFrozenStreamsConnectionIsCutWithinTheCloseGraceThoughItNeverReadsAgain() {
    SseSink stream =
        push.server.registry().devices().stream()
            .map(device -> ((Session) device).sink())
            .filter(SseSink.class::isInstance)
            .map(SseSink.class::cast)
            .findFirst()
            .orElseThrow();
    floodUntilASlowConsumerIsClosed();

    // Its send buffer is full and it reads nothing: its last events cannot be written; the server
    // cuts the connection.
    await("the server to cut the frozen stream's connection")
        .atMost(Duration.ofSeconds(SseSink.CLOSE_GRACE_SECONDS + 3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !stream.socketOpen());
  }
}
